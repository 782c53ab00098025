using System.Text;

namespace Postern.Delivery.Aliases;

/// <summary>
/// Parses the comma-separated values of an alias (or a line of an :include: file). Commas inside
/// double quotes do not separate, so <c>"|/bin/prog a, b"</c> is one value.
/// </summary>
internal static class AliasValueParser
{
    private const string IncludePrefix = ":include:";

    public static List<AliasValue> Parse(string text, AliasesParseContext context, int line)
    {
        var values = new List<AliasValue>();
        foreach (var token in Split(text, context, line))
        {
            if (token.Length > 0 && Classify(token, context, line) is { } value)
            {
                values.Add(value);
            }
        }
        return values;
    }

    private static List<string> Split(string text, AliasesParseContext context, int line)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted && c == '\\' && i + 1 < text.Length)
            {
                current.Append(c).Append(text[++i]);
            }
            else if (c == '"')
            {
                quoted = !quoted;
                current.Append(c);
            }
            else if (c == ',' && !quoted)
            {
                tokens.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }
        if (quoted)
        {
            context.Error(line, "unterminated quoted string");
            return [];
        }
        tokens.Add(current.ToString().Trim());
        return tokens;
    }

    private static AliasValue? Classify(string token, AliasesParseContext context, int line)
    {
        if (token[0] == '"')
        {
            if (token.Length < 2 || token[^1] != '"')
            {
                context.Error(line, $"'{token}': text after a quoted string");
                return null;
            }
            var inner = Unquote(token[1..^1]).Trim();
            if (inner.StartsWith('|') || inner.StartsWith('/') || inner.StartsWith(IncludePrefix, StringComparison.OrdinalIgnoreCase))
            {
                return Classify(inner, context, line);
            }
            context.Error(line, $"'{token}': only \"|command\", \"/file\" and \":include:/file\" may be quoted");
            return null;
        }
        if (token[0] == '|')
        {
            var command = token[1..].Trim();
            if (command.Length == 0)
            {
                context.Error(line, "empty pipe command");
                return null;
            }
            if (command.Contains('\0', StringComparison.Ordinal))
            {
                context.Error(line, "pipe command contains a NUL character");
                return null;
            }
            if (!context.AllowPipes)
            {
                context.Error(line, $"pipe alias '{token}' refused: pipe aliases are not enabled");
                return null;
            }
            return new AliasValue(AliasValueKind.Pipe, command, Line: line);
        }
        if (token[0] == '/')
        {
            if (token.Contains('\0', StringComparison.Ordinal))
            {
                context.Error(line, "file path contains a NUL character");
                return null;
            }
            if (!context.AllowFiles)
            {
                context.Error(line, $"file alias '{token}' refused: file aliases are not enabled");
                return null;
            }
            return new AliasValue(AliasValueKind.File, token, Line: line);
        }
        if (token.StartsWith(IncludePrefix, StringComparison.OrdinalIgnoreCase))
        {
            var path = token[IncludePrefix.Length..].Trim();
            if (!path.StartsWith('/') || path.Contains('\0', StringComparison.Ordinal))
            {
                context.Error(line, $"'{token}': an :include: path must be absolute");
                return null;
            }
            return new AliasValue(AliasValueKind.Include, path, Line: line);
        }
        if (token[0] == '<' && token[^1] == '>')
        {
            token = token[1..^1].Trim();
        }
        if (token.StartsWith('\\'))
        {
            var user = token[1..];
            if (!AliasNames.IsValid(user))
            {
                context.Error(line, $"'{token}' is not a valid local name");
                return null;
            }
            return new AliasValue(AliasValueKind.Local, user.ToLowerInvariant(), NoAlias: true, Line: line);
        }
        var at = token.LastIndexOf('@');
        if (at >= 0)
        {
            var local = token[..at];
            var domain = token[(at + 1)..].TrimEnd('.');
            if (!AliasNames.IsValid(local) || domain.Length == 0 || !AliasNames.IsValid(domain))
            {
                context.Error(line, $"'{token}' is not a valid address (user@domain)");
                return null;
            }
            return new AliasValue(AliasValueKind.Address, local + "@" + domain.ToLowerInvariant(), Line: line);
        }
        if (!AliasNames.IsValid(token))
        {
            context.Error(line, $"'{token}' is not a valid local name (separate values with commas)");
            return null;
        }
        return new AliasValue(AliasValueKind.Local, token.ToLowerInvariant(), Line: line);
    }

    private static string Unquote(string inner)
    {
        var builder = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            builder.Append(inner[i] == '\\' && i + 1 < inner.Length ? inner[++i] : inner[i]);
        }
        return builder.ToString();
    }
}
