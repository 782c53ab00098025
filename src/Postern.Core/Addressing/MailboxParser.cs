using System.Text;
using Postern.Core.Smtp;

namespace Postern.Core.Addressing;

/// <summary>
/// Parses RFC 5321 paths (<c>&lt;local@domain&gt;</c>) and mailboxes, with RFC 6531 UTF-8 in the
/// local part and domain. Source routes are parsed and dropped (RFC 5321 4.1.1.3 says to ignore
/// them). <c>%</c> and <c>!</c> are ordinary atext in a local part: they never cause routing
/// here; whether a local part means anything is the router's business.
/// </summary>
public static class MailboxParser
{
    public const int MaxLocalPartOctets = 64;
    public const int MaxPathOctets = 256;

    private const string Postmaster = "Postmaster";

    /// <summary>
    /// Parses a path at the very start of <paramref name="input"/> and reports how many chars it
    /// took, through the closing <c>&gt;</c>; whatever follows is the caller's to check.
    /// A reverse path may be <c>&lt;&gt;</c> (<paramref name="mailbox"/> is then null); a
    /// forward path may be <c>&lt;Postmaster&gt;</c> (any case) without a domain.
    /// </summary>
    public static bool TryParsePath(ReadOnlySpan<char> input, PathKind kind, out Mailbox? mailbox, out int consumed, out SmtpReply? error)
    {
        var reason = ParsePath(input, kind, out mailbox, out consumed);
        error = reason is null ? null : Error(kind, reason);
        return reason is null;
    }

    /// <summary>Parses a bare <c>local@domain</c> that makes up the whole of <paramref name="input"/>.</summary>
    public static bool TryParseMailbox(ReadOnlySpan<char> input, out Mailbox? mailbox, out SmtpReply? error) =>
        TryParseMailbox(input, PathKind.Forward, out mailbox, out error);

    /// <summary>As <see cref="TryParseMailbox(ReadOnlySpan{char}, out Mailbox?, out SmtpReply?)"/>, with the error worded for <paramref name="kind"/>.</summary>
    public static bool TryParseMailbox(ReadOnlySpan<char> input, PathKind kind, out Mailbox? mailbox, out SmtpReply? error)
    {
        var pos = 0;
        var reason = ParseMailbox(input, ref pos, out mailbox);
        if (reason is null && pos != input.Length)
        {
            reason = "unexpected text after address";
        }
        if (reason is not null)
        {
            mailbox = null;
            error = Error(kind, reason);
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>The 501 reply for a path of <paramref name="kind"/> that failed for <paramref name="reason"/>.</summary>
    public static SmtpReply Error(PathKind kind, string reason) =>
        kind == PathKind.Reverse
            ? new SmtpReply(501, "5.1.7", "Bad sender address syntax: " + reason)
            : new SmtpReply(501, "5.1.3", "Bad recipient address syntax: " + reason);

    private static string? ParsePath(ReadOnlySpan<char> input, PathKind kind, out Mailbox? mailbox, out int consumed)
    {
        mailbox = null;
        consumed = 0;
        if (input.IsEmpty || input[0] != '<')
        {
            return "address must be enclosed in <>";
        }
        var pos = 1;
        if (pos < input.Length && input[pos] == '>')
        {
            if (kind == PathKind.Forward)
            {
                return "empty address";
            }
            consumed = 2;
            return null;
        }
        if (pos < input.Length && input[pos] == '@')
        {
            var routeError = SkipSourceRoute(input, ref pos);
            if (routeError is not null)
            {
                return routeError;
            }
        }
        else if (kind == PathKind.Forward && IsBarePostmaster(input[pos..]))
        {
            mailbox = new Mailbox(Postmaster, "");
            consumed = pos + Postmaster.Length + 1;
            return null;
        }
        var reason = ParseMailbox(input, ref pos, out mailbox);
        if (reason is not null)
        {
            mailbox = null;
            return reason;
        }
        if (pos >= input.Length)
        {
            mailbox = null;
            return "missing closing '>'";
        }
        if (input[pos] != '>')
        {
            mailbox = null;
            return "invalid character in address";
        }
        pos++;
        if (DomainSyntax.Utf8Length(input[..pos]) > MaxPathOctets)
        {
            mailbox = null;
            return "address too long";
        }
        consumed = pos;
        return null;
    }

    private static bool IsBarePostmaster(ReadOnlySpan<char> rest) =>
        rest.Length > Postmaster.Length
        && rest[Postmaster.Length] == '>'
        && rest[..Postmaster.Length].Equals(Postmaster, StringComparison.OrdinalIgnoreCase);

    // A-d-l = At-domain *( "," At-domain ) ":"  -- validated, then ignored.
    private static string? SkipSourceRoute(ReadOnlySpan<char> input, ref int pos)
    {
        while (true)
        {
            pos++; // the '@'
            var reason = ParseDomain(input, ref pos, out _);
            if (reason is not null)
            {
                return "invalid source route";
            }
            if (pos >= input.Length)
            {
                return "invalid source route";
            }
            if (input[pos] == ':')
            {
                pos++;
                return null;
            }
            if (input[pos] != ',' || pos + 1 >= input.Length || input[pos + 1] != '@')
            {
                return "invalid source route";
            }
            pos++;
        }
    }

    // Mailbox = Local-part "@" ( Domain / address-literal ); stops after the domain.
    private static string? ParseMailbox(ReadOnlySpan<char> input, ref int pos, out Mailbox? mailbox)
    {
        mailbox = null;
        var start = pos;
        var reason = pos < input.Length && input[pos] == '"'
            ? ParseQuotedString(input, ref pos, out var localPart)
            : ParseDotString(input, ref pos, out localPart);
        if (reason is not null)
        {
            return reason;
        }
        if (DomainSyntax.Utf8Length(input[start..pos]) > MaxLocalPartOctets)
        {
            return "local part too long";
        }
        if (pos >= input.Length || input[pos] != '@')
        {
            return pos >= input.Length || input[pos] == '>' ? "missing domain" : "invalid character in local part";
        }
        pos++;
        reason = ParseDomain(input, ref pos, out var domain);
        if (reason is not null)
        {
            return reason;
        }
        mailbox = new Mailbox(localPart, domain);
        return null;
    }

    private static string? ParseDotString(ReadOnlySpan<char> input, ref int pos, out string localPart)
    {
        localPart = "";
        var start = pos;
        while (pos < input.Length && IsLocalChar(input, pos))
        {
            pos++;
        }
        var text = input[start..pos];
        if (text.IsEmpty)
        {
            return pos < input.Length && input[pos] == '@' ? "empty local part" : "invalid character in local part";
        }
        if (text[0] == '.' || text[^1] == '.' || text.Contains("..", StringComparison.Ordinal))
        {
            return "misplaced '.' in local part";
        }
        localPart = text.ToString();
        return null;
    }

    private static bool IsLocalChar(ReadOnlySpan<char> input, int index)
    {
        var c = input[index];
        if (c < 0x80)
        {
            return c == '.' || LocalPartSyntax.IsAtext(c);
        }
        return DomainSyntax.IsUtf8Char(c) && (!char.IsSurrogate(c) || DomainSyntax.IsPairedSurrogate(input, index));
    }

    // Quoted-string = DQUOTE *( qtextSMTP / quoted-pairSMTP ) DQUOTE, stored decoded.
    private static string? ParseQuotedString(ReadOnlySpan<char> input, ref int pos, out string localPart)
    {
        localPart = "";
        var builder = new StringBuilder();
        pos++; // opening quote
        while (pos < input.Length)
        {
            var c = input[pos];
            if (c == '"')
            {
                pos++;
                if (builder.Length == 0)
                {
                    // Legal in RFC 5321 but useless and a trap for every consumer downstream.
                    return "empty local part";
                }
                localPart = builder.ToString();
                return null;
            }
            if (c == '\\')
            {
                if (pos + 1 >= input.Length || input[pos + 1] is < ' ' or > '~')
                {
                    return "invalid quoted local part";
                }
                builder.Append(input[pos + 1]);
                pos += 2;
                continue;
            }
            var ok = c < 0x80
                ? c is >= ' ' and <= '~'
                : DomainSyntax.IsUtf8Char(c) && (!char.IsSurrogate(c) || DomainSyntax.IsPairedSurrogate(input, pos));
            if (!ok)
            {
                return "invalid quoted local part";
            }
            builder.Append(c);
            pos++;
        }
        return "unterminated quoted local part";
    }

    private static string? ParseDomain(ReadOnlySpan<char> input, ref int pos, out string domain)
    {
        domain = "";
        if (pos < input.Length && input[pos] == '[')
        {
            var close = input[pos..].IndexOf(']');
            if (close < 0)
            {
                return "unterminated address literal";
            }
            var literal = input.Slice(pos, close + 1);
            if (!DomainSyntax.TryParseAddressLiteral(literal, out var normalized, out var literalReason))
            {
                return literalReason;
            }
            pos += close + 1;
            domain = normalized!;
            return null;
        }
        var start = pos;
        while (pos < input.Length && DomainSyntax.IsDomainChar(input[pos]))
        {
            pos++;
        }
        var host = input[start..pos];
        if (host.IsEmpty)
        {
            return "missing domain";
        }
        if (!DomainSyntax.IsValidHostName(host, out var reason))
        {
            return reason;
        }
        domain = host.ToString();
        return null;
    }
}
