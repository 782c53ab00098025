using System.CommandLine;
using System.CommandLine.Help;

namespace Postern.Cli.Help;

/// <summary>Man-style <c>--help</c>: installs <see cref="ManHelpAction"/> and writes its sections.</summary>
internal static class ManHelp
{
    private const string Indent = "  ";
    private const string ExplanationIndent = "      ";

    /// <summary>Replaces the root's help action (it applies to every subcommand) with the man-style one.</summary>
    public static void Install(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var option in root.Options.OfType<HelpOption>())
        {
            if (option.Action is HelpAction inner)
            {
                option.Action = new ManHelpAction(inner);
            }
        }
    }

    /// <summary>
    /// The sections of <paramref name="command"/>'s top-level command (the root's own for the root).
    /// A subcommand shows the examples that use it, or all of its top-level command's when none does.
    /// </summary>
    public static void WriteSections(Command command, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(output);
        var path = PathOf(command);
        var page = ManPages.For(path.Count == 0 ? null : path[0]);
        if (page is null)
        {
            return;
        }
        var prefix = string.Join(' ', ["postern", .. path]);
        var examples = page.Examples.Where(e => e.CommandLine == prefix || e.CommandLine.StartsWith(prefix + " ", StringComparison.Ordinal)).ToList();
        if (examples.Count == 0)
        {
            examples = [.. page.Examples];
        }
        output.WriteLine("EXAMPLES");
        foreach (var example in examples)
        {
            output.WriteLine(Indent + example.CommandLine);
            output.WriteLine(ExplanationIndent + example.Explanation);
        }
        output.WriteLine();
        output.WriteLine("EXIT STATUS");
        var width = page.ExitStatus.Max(s => s.Code.ToString(System.Globalization.CultureInfo.InvariantCulture).Length) + 2;
        foreach (var status in page.ExitStatus)
        {
            output.WriteLine(Indent + status.Code.ToString(System.Globalization.CultureInfo.InvariantCulture).PadRight(width) + status.Meaning);
        }
        output.WriteLine();
    }

    /// <summary>The command names below the root, outermost first: <c>[queue, flush]</c>.</summary>
    private static List<string> PathOf(Command command)
    {
        var path = new List<string>();
        for (var current = command; current is not null and not RootCommand; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            path.Insert(0, current.Name);
        }
        return path;
    }
}
