using System.Text;

namespace Postern.Tools.Migration;

/// <summary>
/// Splits sendmail.mc text into top-level macro calls and text lines, the way m4 reads it:
/// <c>`...'</c> quotes nest and lose one level per reading, <c>dnl</c> drops the rest of its line,
/// <c>#</c> starts a comment, arguments are split at commas outside quotes and parentheses.
/// Nothing is expanded here; see <see cref="M4Expander"/>.
/// </summary>
internal static class M4Reader
{
    /// <summary>Names that act without parentheses and open raw sendmail.cf text.</summary>
    public static readonly IReadOnlySet<string> BareSections = new HashSet<string>(StringComparer.Ordinal)
    {
        "LOCAL_CONFIG", "LOCAL_RULESETS", "LOCAL_NET_CONFIG", "LOCAL_RULE_0", "LOCAL_RULE_1", "LOCAL_RULE_2", "LOCAL_RULE_3",
        "MAILER_DEFINITIONS", "LOCAL_SRV_FEATURES", "LOCAL_TRY_TLS", "LOCAL_TLS_CLIENT", "LOCAL_TLS_RCPT", "LOCAL_TLS_SERVER",
    };

    public static IReadOnlyList<M4Item> Read(string text, int firstLine = 1)
    {
        var items = new List<M4Item>();
        var position = 0;
        var line = firstLine;
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '\n')
            {
                line++;
                position++;
            }
            else if (c is ' ' or '\t' or '\r')
            {
                position++;
            }
            else if (c == '#' || IsWordAt(text, position, "dnl"))
            {
                position = EndOfLine(text, position);
            }
            else if (IsWordStart(c))
            {
                var start = position;
                while (position < text.Length && IsWordPart(text[position]))
                {
                    position++;
                }
                var name = text[start..position];
                if (position < text.Length && text[position] == '(')
                {
                    var callLine = line;
                    if (ReadArguments(text, ref position, ref line) is { } arguments)
                    {
                        items.Add(new M4Call(name, arguments, callLine));
                    }
                    else
                    {
                        items.Add(new M4TextLine(text[start..].Split('\n')[0].TrimEnd('\r'), callLine));
                        return items; // an unclosed call swallows the rest of the file in m4 too
                    }
                }
                else if (BareSections.Contains(name))
                {
                    items.Add(new M4Call(name, [], line));
                }
                else
                {
                    position = AddTextLine(text, start, line, items);
                }
            }
            else
            {
                position = AddTextLine(text, position, line, items);
            }
        }
        return items;
    }

    private static int AddTextLine(string text, int start, int line, List<M4Item> items)
    {
        var end = EndOfLine(text, start);
        var content = text[start..end].TrimEnd('\r', ' ', '\t');
        // A trailing "dnl" only suppresses the newline in m4; it is not part of the text.
        var dnl = content.IndexOf("dnl", StringComparison.Ordinal);
        if (dnl > 0 && !IsWordPart(content[dnl - 1]) && (dnl + 3 == content.Length || !IsWordPart(content[dnl + 3])))
        {
            content = content[..dnl].TrimEnd();
        }
        if (content.Length > 0)
        {
            items.Add(new M4TextLine(content, line));
        }
        return end;
    }

    /// <summary>Reads <c>(a, b, ...)</c> starting at the '('; null when the closing ')' never comes.</summary>
    private static List<M4Argument>? ReadArguments(string text, ref int position, ref int line)
    {
        var arguments = new List<M4Argument>();
        var current = new StringBuilder();
        var quote = 0;
        var parens = 0;
        var atStart = true;
        var argumentLine = line;
        for (position++; position < text.Length; position++)
        {
            var c = text[position];
            if (c == '\n')
            {
                line++;
            }
            if (atStart && quote == 0 && c is ' ' or '\t' or '\n' or '\r')
            {
                continue; // m4 skips unquoted leading whitespace of each argument
            }
            if (atStart)
            {
                atStart = false;
                argumentLine = line;
            }
            if (quote > 0)
            {
                if (c == '`')
                {
                    quote++;
                }
                else if (c == '\'')
                {
                    quote--;
                    if (quote == 0)
                    {
                        continue;
                    }
                }
                current.Append(c);
                continue;
            }
            switch (c)
            {
                case '`':
                    quote = 1;
                    break;
                case '(':
                    parens++;
                    current.Append(c);
                    break;
                case ')' when parens > 0:
                    parens--;
                    current.Append(c);
                    break;
                case ')':
                    arguments.Add(new M4Argument(current.ToString(), argumentLine));
                    position++;
                    return arguments;
                case ',' when parens == 0:
                    arguments.Add(new M4Argument(current.ToString(), argumentLine));
                    current.Clear();
                    atStart = true;
                    break;
                default:
                    current.Append(c);
                    break;
            }
        }
        return null;
    }

    private static int EndOfLine(string text, int position)
    {
        var newline = text.IndexOf('\n', position);
        return newline < 0 ? text.Length : newline;
    }

    private static bool IsWordAt(string text, int position, string word) =>
        string.CompareOrdinal(text, position, word, 0, word.Length) == 0
        && (position == 0 || !IsWordPart(text[position - 1]))
        && (position + word.Length == text.Length || !IsWordPart(text[position + word.Length]));

    internal static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c == '_';

    internal static bool IsWordPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
