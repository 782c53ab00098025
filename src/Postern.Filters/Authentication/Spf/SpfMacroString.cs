using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Postern.Filters.Authentication.Dns;

namespace Postern.Filters.Authentication.Spf;

/// <summary>
/// A macro-string of RFC 7208 section 7.1, parsed once: literal text and macro expansions
/// (<c>%{ir}</c>, <c>%{l2r-}</c>, <c>%{D}</c>), expanded per check with <see cref="SpfMacroValues"/>.
/// </summary>
internal sealed class SpfMacroString
{
    private const string Delimiters = ".-+,/_=";
    private readonly IReadOnlyList<Token> _tokens;

    private SpfMacroString(IReadOnlyList<Token> tokens) => _tokens = tokens;

    /// <summary>The string uses the <c>p</c> macro, which costs a DNS lookup to expand.</summary>
    public bool UsesValidatedName => _tokens.Any(t => t.Letter == 'p');

    /// <summary>
    /// Parses a domain-spec: a macro-string that ends in a macro or in "." and a top label that
    /// is not all digits (section 7.1). Only <c>slodiphv</c> macros; <c>crt</c> are for exp text.
    /// </summary>
    public static bool TryParseDomainSpec(string text, [NotNullWhen(true)] out SpfMacroString? spec)
    {
        spec = null;
        if (text.Length == 0 || !TryParseTokens(text, "slodiphv", out var tokens))
        {
            return false;
        }
        var last = tokens[^1];
        if (last.Letter is null && !last.IsEscape && !EndsInTopLabel(last.Text))
        {
            return false;
        }
        spec = new SpfMacroString(tokens);
        return true;
    }

    /// <summary>Parses the value of an unknown modifier, which only needs a valid macro syntax.</summary>
    public static bool IsValidMacroString(string text) => TryParseTokens(text, "slodiphvcrt", out _);

    /// <summary>Expands the string; a domain name longer than 253 characters loses labels from the left (section 7.3).</summary>
    public string ExpandDomain(SpfMacroValues values)
    {
        var text = new StringBuilder();
        foreach (var token in _tokens)
        {
            text.Append(token.Letter is { } letter ? Expand(token, letter, values) : token.Text);
        }
        var name = text.ToString();
        if (name.EndsWith('.'))
        {
            name = name[..^1];
        }
        while (name.Length > 253 && name.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0)
        {
            name = name[(dot + 1)..];
        }
        return name;
    }

    private static string Expand(Token token, char letter, SpfMacroValues values)
    {
        var value = char.ToLowerInvariant(letter) switch
        {
            's' => values.Sender,
            'l' => values.LocalPart,
            'o' => values.SenderDomain,
            'd' => values.Domain,
            'i' => ReverseName.DottedLabels(values.Client),
            'p' => values.ValidatedName,
            'v' => values.Client.AddressFamily == AddressFamily.InterNetwork ? "in-addr" : "ip6",
            'h' => values.Helo,
            // c, r and t belong to exp text, which Postern does not expand; parsing refuses them in a domain-spec.
            _ => throw new InvalidOperationException("macro %{" + letter + "} in a domain-spec"),
        };
        var parts = value.Split(token.Text.Length == 0 ? Delimiters[..1].ToCharArray() : token.Text.ToCharArray());
        IEnumerable<string> ordered = token.Reverse ? parts.Reverse() : parts;
        if (token.Digits > 0)
        {
            ordered = ordered.TakeLast(token.Digits);
        }
        var joined = string.Join('.', ordered);
        return char.IsUpper(letter) ? UrlEscape(joined) : joined;
    }

    private static string UrlEscape(string text)
    {
        var escaped = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            {
                escaped.Append(c);
            }
            else
            {
                escaped.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }
        return escaped.ToString();
    }

    private static bool TryParseTokens(string text, string letters, out List<Token> tokens)
    {
        tokens = [];
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '%')
            {
                if (c is < '!' or > '~')
                {
                    return false;
                }
                literal.Append(c);
                continue;
            }
            if (i + 1 >= text.Length)
            {
                return false;
            }
            var next = text[++i];
            string? escape = next switch { '%' => "%", '_' => " ", '-' => "%20", _ => null };
            if (escape is not null)
            {
                Flush(literal, tokens);
                tokens.Add(new Token(escape, null, 0, false, IsEscape: true));
                continue;
            }
            var close = next == '{' ? text.IndexOf('}', i) : -1;
            if (close < 0 || !TryParseExpansion(text[(i + 1)..close], letters, out var token))
            {
                return false;
            }
            Flush(literal, tokens);
            tokens.Add(token);
            i = close;
        }
        Flush(literal, tokens);
        return true;
    }

    // macro-letter transformers *delimiter: "l2r-" is letter l, the two right-most parts, reversed, split on '-'.
    private static bool TryParseExpansion(string body, string letters, [NotNullWhen(true)] out Token? token)
    {
        token = null;
        if (body.Length == 0 || !letters.Contains(char.ToLowerInvariant(body[0]), StringComparison.Ordinal))
        {
            return false;
        }
        var i = 1;
        while (i < body.Length && char.IsAsciiDigit(body[i]))
        {
            i++;
        }
        var digits = 0;
        if (i > 1 && (!int.TryParse(body.AsSpan(1, i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out digits) || digits == 0))
        {
            return false;
        }
        var reverse = i < body.Length && body[i] is 'r' or 'R';
        if (reverse)
        {
            i++;
        }
        var delimiters = body[i..];
        if (delimiters.Any(d => !Delimiters.Contains(d, StringComparison.Ordinal)))
        {
            return false;
        }
        token = new Token(delimiters, body[0], Math.Min(digits, 128), reverse, IsEscape: false);
        return true;
    }

    private static void Flush(StringBuilder literal, List<Token> tokens)
    {
        if (literal.Length > 0)
        {
            tokens.Add(new Token(literal.ToString(), null, 0, false, IsEscape: false));
            literal.Clear();
        }
    }

    // "." toplabel [ "." ]: toplabel is alphanumeric with inner dashes, not all digits (section 7.1).
    private static bool EndsInTopLabel(string text)
    {
        var name = text.EndsWith('.') ? text[..^1] : text;
        var dot = name.LastIndexOf('.');
        if (dot < 0)
        {
            return false;
        }
        var label = name[(dot + 1)..];
        return label.Length > 0
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            && char.IsAsciiLetterOrDigit(label[0]) && char.IsAsciiLetterOrDigit(label[^1])
            && !label.All(char.IsAsciiDigit);
    }

    /// <summary>
    /// Literal text (<see cref="Letter"/> null; an escape such as <c>%%</c> counts as a macro for
    /// the domain-end rule) or a macro: its letter, how many right-hand parts, reversed, and the
    /// delimiters in <see cref="Text"/>.
    /// </summary>
    private sealed record Token(string Text, char? Letter, int Digits, bool Reverse, bool IsEscape);
}
