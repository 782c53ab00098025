using Postern.Core.Smtp;

namespace Postern.Filters.Authentication;

/// <summary>The replies of the authentication checks, each text once.</summary>
internal static class AuthenticationReplies
{
    /// <summary>DMARC failed and the From: domain's policy is p=reject (RFC 7489 section 6.7: 5.7.1, naming DMARC).</summary>
    public static SmtpReply DmarcReject(string fromDomain) =>
        new(550, "5.7.1", $"Message rejected: DMARC policy of {fromDomain} (p=reject): the message failed SPF and DKIM alignment");
}
