namespace Postern.Tests.Dialogs;

/// <summary>
/// A parsed <c>.dialog</c> file: the setup directives at its head, then the steps in order.
/// The format is described in README.md beside the scripts.
/// </summary>
internal sealed class DialogScript
{
    private static readonly string[] SetupKeywords =
    [
        "max-message-size", "max-recipients", "listener", "etrn", "tls", "client-certificates", "require-tls",
        "auth", "auth-mechanisms", "auth-trusted", "auth-plaintext-without-tls", "auth-param-from-client",
        "queue-control", "queue", "policy", "max-errors", "recipient-overshoot", "bare-newline", "bare-newline-exclusions", "greet-pause",
        "relay-networks", "dkim", "authentication-results", "dns",
    ];

    private DialogScript(string name, IReadOnlyList<DialogStep> setup, IReadOnlyList<DialogStep> steps)
    {
        Name = name;
        Setup = setup;
        Steps = steps;
    }

    public string Name { get; }

    public IReadOnlyList<DialogStep> Setup { get; }

    public IReadOnlyList<DialogStep> Steps { get; }

    public static DialogScript Load(string path) => Parse(Path.GetFileName(path), File.ReadAllLines(path));

    public static DialogScript Parse(string name, IReadOnlyList<string> lines)
    {
        var setup = new List<DialogStep>();
        var steps = new List<DialogStep>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (line.StartsWith("repeat ", StringComparison.Ordinal))
            {
                steps.AddRange(Repeat(i + 1, line));
                continue;
            }
            var step = Split(i + 1, line);
            if (SetupKeywords.Contains(step.Keyword))
            {
                if (steps.Count > 0)
                {
                    throw new FormatException(name + " " + step + ": setup directives come before the first step");
                }
                setup.Add(step);
            }
            else
            {
                steps.Add(step);
            }
        }
        return new DialogScript(name, setup, steps);
    }

    /// <summary>
    /// "repeat N STEP": STEP N times; "repeat N c => TEXT" sends TEXT N times in one write (a pipelined group).
    /// </summary>
    private static IEnumerable<DialogStep> Repeat(int number, string line)
    {
        var words = line.Split(' ', 3);
        var count = int.Parse(words[1], System.Globalization.CultureInfo.InvariantCulture);
        var step = Split(number, words[2]);
        return step.Keyword == "c =>"
            ? [step with { Argument = string.Concat(Enumerable.Repeat(step.Argument, count)) }]
            : Enumerable.Repeat(step, count);
    }

    /// <summary>
    /// "c -> EHLO x" becomes ("c ->", "EHLO x"): the text after the arrow and one space is taken verbatim.
    /// Other lines split at the first space.
    /// </summary>
    private static DialogStep Split(int number, string line)
    {
        if (line.StartsWith("c ", StringComparison.Ordinal))
        {
            var rest = line[2..];
            var space = rest.IndexOf(' ');
            return space < 0 ? new DialogStep(number, "c " + rest, "") : new DialogStep(number, "c " + rest[..space], rest[(space + 1)..]);
        }
        var at = line.IndexOf(' ');
        return at < 0 ? new DialogStep(number, line, "") : new DialogStep(number, line[..at], line[(at + 1)..]);
    }
}
