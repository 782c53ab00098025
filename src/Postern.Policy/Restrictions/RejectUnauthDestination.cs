
namespace Postern.Policy.Restrictions;

/// <summary>
/// reject_unauth_destination: a recipient whose domain is neither local nor a relay domain is
/// refused with 550 5.7.1 Relaying denied. The trusted-client permits come before it.
/// </summary>
internal sealed class RejectUnauthDestination : IRestriction
{
    public const string RestrictionName = "reject_unauth_destination";

    public string Name => RestrictionName;

    public bool AppliesTo(RestrictionStage stage) => stage == RestrictionStage.Rcpt;

    public RestrictionResult Evaluate(RestrictionContext context) =>
        context.IsAuthorizedDestination
            ? RestrictionResult.Dunno(context.Recipient!.Domain + " is a local or relay domain")
            : Deny(context.Recipient!, context.Recipient!.Domain + " is not a local or relay domain, and nothing before permitted the client to relay (" + ClientCredentials(context.Session) + ")");

    /// <summary>What the client showed, so the log says why a laptop with a certificate was refused.</summary>
    private static string ClientCredentials(Core.Policy.SessionFacts session)
    {
        var tls = session.Tls is { } facts ? "tls verify=" + facts.Peer.Word : "no tls";
        var auth = session.AuthenticatedUser is { } user ? "authenticated as " + user : "not authenticated";
        return tls + ", " + auth;
    }

    public static RestrictionResult Deny(Core.Addressing.Mailbox recipient, string detail) =>
        RestrictionResult.Reject(PolicyReplies.RelayingDenied(recipient), detail);
}
