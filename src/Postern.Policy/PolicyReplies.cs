using Postern.Core.Addressing;
using Postern.Core.Smtp;

namespace Postern.Policy;

/// <summary>Every reply text the restrictions give, each once. Access-map entries bring their own texts.</summary>
internal static class PolicyReplies
{
    /// <summary>The text of a refusal that names none (<c>reject</c>, an access-map ERROR without text).</summary>
    public const string AccessDeniedText = "Access denied";

    public static readonly SmtpReply AccessDenied = new(550, "5.7.1", AccessDeniedText);

    public static readonly SmtpReply TryAgainLater = new(450, "4.7.1", "Try again later");

    public static readonly SmtpReply TlsRequirementNotUnderstood = new(403, "4.7.0", "TLS requirement not understood");

    /// <summary>reject_plaintext_session: a command that needs TLS before STARTTLS (RFC 3207 section 4).</summary>
    public static readonly SmtpReply MustStartTls = new(530, "5.7.0", "Must issue a STARTTLS command first");

    /// <summary>reject_unauthenticated_session: a command that needs AUTH before one succeeded (RFC 4954 section 6).</summary>
    public static readonly SmtpReply AuthenticationRequired = new(530, "5.7.0", "Authentication required");

    /// <summary>A table the decision needs cannot be read now (the database is down or too slow).</summary>
    public static readonly SmtpReply TemporaryLookupFailure = new(451, "4.3.0", "Temporary lookup failure");

    public static SmtpReply UserUnknown(Mailbox recipient) => new(550, "5.1.1", "<" + recipient + ">: Recipient address rejected: User unknown");

    public static SmtpReply RecipientLookupFailed(Mailbox recipient) => new(451, "4.3.0", "<" + recipient + ">: Temporary lookup failure");

    public static SmtpReply RelayingDenied(Mailbox recipient) => new(550, "5.7.1", "<" + recipient + ">: Relaying denied");

    /// <summary>sendmail's tls_client texts: 403 4.7.0, or 503 5.7.0 with PERM+.</summary>
    public static SmtpReply TlsRequirementNotMet(bool permanent, string text) =>
        permanent ? new SmtpReply(503, "5.7.0", text) : new SmtpReply(403, "4.7.0", text);

    /// <summary>Postfix's reject_sender_login_mismatch text; <paramref name="sender"/> as in MAIL (&lt;a@b&gt;).</summary>
    public static SmtpReply SenderNotOwned(string sender, string user) =>
        new(553, "5.7.1", sender + ": Sender address rejected: not owned by user " + user);
}
