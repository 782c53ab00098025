using Postern.Delivery.Aliases;

namespace Postern.Fuzz.Targets;

/// <summary>
/// The aliases file parser, with pipes and files refused and allowed. A bad file is an
/// <see cref="AliasesParseException"/> listing its errors; a loaded file finds every alias by
/// name, holds no pipe or file value unless allowed, and no value with a line feed or NUL (a
/// value becomes a command line, a path or an address).
/// </summary>
internal static class AliasesTarget
{
    private const string FileName = "aliases";

    public static void Run(byte[] input)
    {
        Parse(input, allow: false);
        Parse(input, allow: true);
    }

    private static void Parse(byte[] input, bool allow)
    {
        AliasesFile aliases;
        try
        {
            aliases = AliasesFile.Parse(input, FileName, allow, allow);
        }
        catch (AliasesParseException e)
        {
            FuzzInvariantException.Require(e.Errors.Count > 0, "a refused file says why");
            FuzzInvariantException.Require(e.Errors.All(error => error.File == FileName && error.Line >= 0), "every error names the file");
            return;
        }
        foreach (var (name, entry) in aliases.Entries)
        {
            FuzzInvariantException.Require(aliases.TryGet(name, out var found) && found == entry, "every alias is found by its name");
            FuzzInvariantException.Require(entry.Values.Count > 0, "an alias has values");
            foreach (var value in entry.Values)
            {
                FuzzInvariantException.Require(allow || value.Kind is not (AliasValueKind.Pipe or AliasValueKind.File), "pipes and files only when allowed");
                FuzzInvariantException.Require(value.Text.Length > 0 && value.Text.IndexOfAny(['\n', '\0']) < 0, "a value is one non-empty line without NUL");
                _ = value.ToString();
            }
        }
    }
}
