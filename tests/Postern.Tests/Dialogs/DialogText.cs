using System.Globalization;
using System.Text;

namespace Postern.Tests.Dialogs;

/// <summary>
/// The escapes a dialog script may use in sent bytes and expected text: <c>\r \n \t \0 \\ \xHH</c>.
/// Everything else is taken literally (UTF-8), so a script line is what goes on the wire.
/// </summary>
internal static class DialogText
{
    /// <summary>The bytes <paramref name="text"/> stands for; <c>\xHH</c> is one raw byte, not a character.</summary>
    public static byte[] ToBytes(string text)
    {
        var bytes = new List<byte>(text.Length);
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                literal.Append(text[i]);
                continue;
            }
            bytes.AddRange(Encoding.UTF8.GetBytes(literal.ToString()));
            literal.Clear();
            var (value, length) = Escape(text, i);
            bytes.Add(value);
            i += length - 1;
        }
        bytes.AddRange(Encoding.UTF8.GetBytes(literal.ToString()));
        return [.. bytes];
    }

    /// <summary>The text <paramref name="text"/> stands for, for comparing with replies, log lines and queued bytes.</summary>
    public static string ToText(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                result.Append(text[i]);
                continue;
            }
            var (value, length) = Escape(text, i);
            result.Append((char)value);
            i += length - 1;
        }
        return result.ToString();
    }

    private static (byte Value, int Length) Escape(string text, int at) => text[at + 1] switch
    {
        'r' => ((byte)'\r', 2),
        'n' => ((byte)'\n', 2),
        't' => ((byte)'\t', 2),
        '0' => (0, 2),
        '\\' => ((byte)'\\', 2),
        'x' when at + 3 < text.Length => (byte.Parse(text.AsSpan(at + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture), 4),
        _ => throw new FormatException("unknown escape \\" + text[at + 1] + " in: " + text),
    };
}
