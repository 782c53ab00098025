using Postern.Core.Addressing;
using Postern.Core.Smtp;

namespace Postern.Protocol.Commands;

/// <summary>
/// The common shape of MAIL and RCPT arguments: <c>FROM:</c>/<c>TO:</c> (any case, one optional
/// space after the colon, which many clients send), a path, then space-separated parameters.
/// </summary>
internal static class PathArgumentParser
{
    public static bool TryParse(
        string argument,
        string prefix,
        string usage,
        PathKind kind,
        out Mailbox? mailbox,
        out List<EsmtpParameter> parameters,
        out SmtpReply? error)
    {
        ArgumentNullException.ThrowIfNull(argument);
        mailbox = null;
        parameters = [];
        if (!argument.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            error = ParameterReplies.Syntax(usage);
            return false;
        }
        var rest = argument.AsSpan(prefix.Length);
        if (rest.StartsWith(' '))
        {
            rest = rest[1..];
        }
        if (!MailboxParser.TryParsePath(rest, kind, out mailbox, out var consumed, out error))
        {
            return false;
        }
        rest = rest[consumed..];
        if (!rest.IsEmpty && rest[0] != ' ')
        {
            mailbox = null;
            error = MailboxParser.Error(kind, "unexpected text after address");
            return false;
        }
        foreach (var range in rest.Split(' '))
        {
            var word = rest[range];
            if (word.IsEmpty)
            {
                continue;
            }
            if (!TryParseParameter(word, out var parameter))
            {
                mailbox = null;
                error = ParameterReplies.BadSyntax();
                return false;
            }
            parameters.Add(parameter);
        }
        error = null;
        return true;
    }

    // esmtp-param = esmtp-keyword ["=" esmtp-value]; keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-");
    // value = 1*(%d33-60 / %d62-126), plus UTF-8 (RFC 6531). An empty value is left to the
    // keyword's own check so it reads "Bad SIZE value".
    private static bool TryParseParameter(ReadOnlySpan<char> word, out EsmtpParameter parameter)
    {
        parameter = default;
        var equals = word.IndexOf('=');
        var keyword = equals < 0 ? word : word[..equals];
        if (keyword.IsEmpty || !char.IsAsciiLetterOrDigit(keyword[0]))
        {
            return false;
        }
        foreach (var c in keyword)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }
        if (equals < 0)
        {
            parameter = new EsmtpParameter(keyword.ToString(), null);
            return true;
        }
        var value = word[(equals + 1)..];
        foreach (var c in value)
        {
            if (c is <= ' ' or '=' or '\x7F' || (c >= 0x80 && char.IsControl(c)))
            {
                return false;
            }
        }
        parameter = new EsmtpParameter(keyword.ToString(), value.ToString());
        return true;
    }

    /// <summary>True when <paramref name="text"/> holds a control character (C0, DEL or C1).</summary>
    public static bool HasControl(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }
        return false;
    }
}
