using Postern.Core.Policy;

namespace Postern.Policy.Restrictions;

/// <summary>
/// reject_unauthenticated_session: on a listener with <c>auth = "require"</c>, a command that
/// needs AUTH is refused until one succeeds, trusted mechanism or not (RFC 4954 section 6), with
/// <c>530 5.7.0 Authentication required</c>. Postfix:
/// <c>smtpd_client_restrictions = permit_sasl_authenticated, reject</c>; sendmail:
/// <c>DAEMON_OPTIONS(M=a)</c>.
/// </summary>
internal sealed class RejectUnauthenticatedSession : ICommandRestriction
{
    public const string RestrictionName = "reject_unauthenticated_session";

    private static readonly RestrictionResult NotRequired = RestrictionResult.Dunno("the listener does not require AUTH");
    private static readonly RestrictionResult NotNeeded = RestrictionResult.Dunno("the command does not need AUTH");
    private static readonly RestrictionResult Authenticated = RestrictionResult.Dunno("the session is authenticated");
    private static readonly RestrictionResult Unauthenticated = RestrictionResult.Reject(PolicyReplies.AuthenticationRequired, "the listener requires AUTH");

    public string Name => RestrictionName;

    public RestrictionResult Evaluate(SessionFacts session, CommandNeeds needs)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.ListenerRequiresAuth)
        {
            return NotRequired;
        }
        if ((needs & CommandNeeds.Authentication) == 0)
        {
            return NotNeeded;
        }
        return session.SaslLogin is not null ? Authenticated : Unauthenticated;
    }
}
