using System.Text.RegularExpressions;

namespace Postern.Tests.Policy.Golden;

/// <summary>
/// One line of a <c>.cases</c> file: tab-separated columns, backslash escapes as .NET's
/// <see cref="Regex.Unescape"/> reads them. Lines starting with <c>#</c> and blank lines are not cases.
/// </summary>
internal sealed record GoldenCase(string File, int Line, IReadOnlyList<string> Columns)
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Policy", "Golden");

    public static IReadOnlyList<GoldenCase> Load(string file)
    {
        var cases = new List<GoldenCase>();
        var lines = System.IO.File.ReadAllLines(Path.Combine(Folder, file));
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length > 0 && !lines[i].StartsWith('#'))
            {
                cases.Add(new GoldenCase(file, i + 1, [.. lines[i].Split('\t').Select(Regex.Unescape)]));
            }
        }
        return cases;
    }

    /// <summary>The case on <paramref name="line"/> of <paramref name="file"/>.</summary>
    public static GoldenCase At(string file, int line) => Load(file).Single(c => c.Line == line);

    /// <summary>"-" stands for an empty list.</summary>
    public IReadOnlyList<string> List(int column) =>
        Columns[column] == "-" ? [] : Columns[column].Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
