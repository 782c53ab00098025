using System.Text;
using System.Text.Unicode;

namespace Postern.Delivery.Aliases;

/// <summary>
/// Splits an aliases-format file into logical lines, as Postfix reads sendmail's format: blank
/// lines and lines whose first non-blank character is <c>#</c> are skipped, and a line that starts
/// with a space or tab continues the previous logical line (even across skipped lines).
/// </summary>
internal static class LogicalLineReader
{
    public const int MaxLineBytes = 8192;

    public static List<LogicalLine> Read(ReadOnlySpan<byte> content, string file, List<AliasesError> errors)
    {
        var lines = new List<LogicalLine>();
        StringBuilder? current = null;
        var currentLine = 0;
        var lineNumber = 0;
        while (!content.IsEmpty)
        {
            lineNumber++;
            var end = content.IndexOf((byte)'\n');
            var raw = end < 0 ? content : content[..end];
            content = end < 0 ? [] : content[(end + 1)..];
            if (!raw.IsEmpty && raw[^1] == '\r')
            {
                raw = raw[..^1];
            }
            if (raw.Length > MaxLineBytes)
            {
                errors.Add(new AliasesError(file, lineNumber, $"line is longer than {MaxLineBytes} bytes"));
                continue;
            }
            if (!Utf8.IsValid(raw))
            {
                errors.Add(new AliasesError(file, lineNumber, "line is not valid UTF-8"));
                continue;
            }
            var text = Encoding.UTF8.GetString(raw);
            var trimmed = text.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }
            if (text[0] is ' ' or '\t')
            {
                if (current is null)
                {
                    errors.Add(new AliasesError(file, lineNumber, "continuation line (starting with a space or tab) without a line to continue"));
                    continue;
                }
                current.Append(' ').Append(trimmed);
                continue;
            }
            if (current is not null)
            {
                lines.Add(new LogicalLine(currentLine, current.ToString()));
            }
            current = new StringBuilder(trimmed);
            currentLine = lineNumber;
        }
        if (current is not null)
        {
            lines.Add(new LogicalLine(currentLine, current.ToString()));
        }
        return lines;
    }
}
