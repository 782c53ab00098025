using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Smtp;

namespace Postern.Tools.Sendmail;

/// <summary>
/// What a local submitter may send to. Local users are trusted like sendmail's MSP (no relay
/// restrictions: they may mail anywhere), but the address tricks stay closed for them too: no
/// <c>%</c>, <c>!</c> or <c>@</c> routing in a remote address, no address literals (which the
/// router never relays anyway). Unknown local users are refused now rather than bounced later.
/// </summary>
public static class LocalRecipientRule
{
    /// <summary>Null when <paramref name="recipient"/> is acceptable; else the refusal.</summary>
    public static SmtpReply? Check(Mailbox recipient, ILocalRecipients local)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(local);
        if (recipient.IsDomainLiteral)
        {
            return new SmtpReply(550, "5.7.1", $"<{recipient}>: address literals are never relayed");
        }
        if (!local.IsLocalDomain(recipient.Domain))
        {
            return recipient.LocalPart.AsSpan().IndexOfAny('%', '!', '@') >= 0
                ? new SmtpReply(550, "5.7.1", $"<{recipient}>: '%', '!' or '@' in the local part never route mail")
                : null;
        }
        return local.Lookup(recipient) switch
        {
            LocalRecipientStatus.Unknown => new SmtpReply(550, "5.1.1", $"<{recipient}>: User unknown"),
            LocalRecipientStatus.TemporaryFailure => new SmtpReply(451, "4.3.0", $"<{recipient}>: temporary lookup failure"),
            _ => null,
        };
    }
}
