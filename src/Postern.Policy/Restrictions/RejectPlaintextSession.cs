using Postern.Core.Policy;

namespace Postern.Policy.Restrictions;

/// <summary>
/// reject_plaintext_session (Postfix's name): on a listener with <c>require_tls</c>, a command
/// that needs TLS is refused until the connection is encrypted (RFC 3207 section 4), with
/// <c>530 5.7.0 Must issue a STARTTLS command first</c>. Postfix's
/// <c>smtpd_tls_security_level = encrypt</c>; sendmail's access-map <c>TLS_Clt:</c> with <c>ENCR:</c>.
/// </summary>
internal sealed class RejectPlaintextSession : ICommandRestriction
{
    public const string RestrictionName = "reject_plaintext_session";

    private static readonly RestrictionResult NotRequired = RestrictionResult.Dunno("the listener does not require TLS");
    private static readonly RestrictionResult NotNeeded = RestrictionResult.Dunno("the command does not need TLS");
    private static readonly RestrictionResult Encrypted = RestrictionResult.Dunno("the session is encrypted");
    private static readonly RestrictionResult Plaintext = RestrictionResult.Reject(PolicyReplies.MustStartTls, "the listener requires TLS");

    public string Name => RestrictionName;

    public RestrictionResult Evaluate(SessionFacts session, CommandNeeds needs)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.ListenerRequiresTls)
        {
            return NotRequired;
        }
        if ((needs & CommandNeeds.Tls) == 0)
        {
            return NotNeeded;
        }
        return session.IsTls ? Encrypted : Plaintext;
    }
}
