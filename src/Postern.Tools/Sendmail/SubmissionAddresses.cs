using MimeKit;
using Postern.Core.Addressing;

namespace Postern.Tools.Sendmail;

/// <summary>
/// Addresses as local users give them: on the command line (comma lists allowed, a bare name
/// qualified with the local domain, as sendmail does) and in To:/Cc:/Bcc: headers (display names,
/// groups and comments, parsed by MimeKit).
/// </summary>
internal static class SubmissionAddresses
{
    /// <summary>The addresses in one argument or header value; false with the offending text when one does not parse.</summary>
    public static bool TryParseList(string text, string defaultDomain, List<Mailbox> into, out string? error)
    {
        ArgumentNullException.ThrowIfNull(into);
        error = null;
        foreach (var piece in AddressListSplitter.Split(text))
        {
            if (!MailboxAddress.TryParse(ParserOptions.Default, piece, out var mailbox))
            {
                error = $"'{piece}': not an address";
                return false;
            }
            if (!TryParse(mailbox.Address, defaultDomain, PathKind.Forward, out var parsed, out error))
            {
                return false;
            }
            into.Add(parsed!);
        }
        return true;
    }

    /// <summary>One address (optionally in angle brackets); a bare name gets <paramref name="defaultDomain"/>.</summary>
    public static bool TryParse(string text, string defaultDomain, PathKind kind, out Mailbox? mailbox, out string? error)
    {
        var bare = text.Trim();
        if (bare.Length >= 2 && bare[0] == '<' && bare[^1] == '>')
        {
            bare = bare[1..^1];
        }
        if (bare.Length == 0)
        {
            mailbox = null;
            error = kind == PathKind.Reverse ? null : "empty address";
            return kind == PathKind.Reverse;
        }
        if (!bare.Contains('@', StringComparison.Ordinal))
        {
            bare += "@" + defaultDomain;
        }
        if (MailboxParser.TryParseMailbox(bare, kind, out mailbox, out var reply) && mailbox is not null)
        {
            error = null;
            return true;
        }
        error = $"'{text}': {reply?.Lines[0].Split(": ", 2)[^1] ?? "bad address"}";
        return false;
    }
}
