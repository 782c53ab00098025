namespace Postern.Protocol.Sasl.Server;

/// <summary>
/// The <c>1#( token "=" ( token | quoted-string ) )</c> lists of RFC 2831 section 7.2: empty
/// elements and linear white space allowed, backslash escapes in quoted strings, names
/// case-insensitive. A directive given twice makes the list invalid.
/// </summary>
internal static class DigestMd5Directives
{
    /// <returns>The directives by lower-case name, or null (with <paramref name="problem"/>) when the text is not such a list.</returns>
    public static Dictionary<string, string>? Parse(string text, out string problem)
    {
        var directives = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (true)
        {
            while (i < text.Length && (text[i] == ',' || IsSpace(text[i])))
            {
                i++;
            }
            if (i == text.Length)
            {
                problem = string.Empty;
                return directives;
            }
            var name = ReadToken(text, ref i);
            SkipSpace(text, ref i);
            if (name.Length == 0 || i == text.Length || text[i] != '=')
            {
                problem = "expected name=value";
                return null;
            }
            i++;
            SkipSpace(text, ref i);
            string? value = i < text.Length && text[i] == '"' ? ReadQuoted(text, ref i) : ReadToken(text, ref i);
            if (value is null)
            {
                problem = "unterminated quoted string";
                return null;
            }
            if (!directives.TryAdd(name.ToLowerInvariant(), value))
            {
                problem = $"directive {name.ToLowerInvariant()} given twice";
                return null;
            }
            SkipSpace(text, ref i);
            if (i < text.Length && text[i] != ',')
            {
                problem = "expected a comma between directives";
                return null;
            }
        }
    }

    private static string ReadToken(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && IsTokenChar(text[i]))
        {
            i++;
        }
        return text[start..i];
    }

    private static string? ReadQuoted(string text, ref int i)
    {
        var builder = new System.Text.StringBuilder();
        for (i++; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                i++;
                return builder.ToString();
            }
            if (c == '\\')
            {
                if (++i == text.Length)
                {
                    return null;
                }
                c = text[i];
            }
            builder.Append(c);
        }
        return null;
    }

    private static void SkipSpace(string text, ref int i)
    {
        while (i < text.Length && IsSpace(text[i]))
        {
            i++;
        }
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    // RFC 2616 token: any CHAR except CTLs and separators.
    private static bool IsTokenChar(char c) => c is > ' ' and < (char)0x7F && !"()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal);
}
