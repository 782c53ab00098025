using Postern.Core.Policy;

namespace Postern.Policy.Restrictions;

/// <summary>
/// The restrictions asked before a command that needs an established session, in order:
/// reject_plaintext_session, then reject_unauthenticated_session (so a plaintext session on a
/// listener that requires both hears about STARTTLS first). Both are always in place and act only
/// where the listener's <c>require_tls</c> or <c>auth = "require"</c> says so; nothing in the
/// configuration lists them. An acceptance is one shared decision: the common case allocates nothing.
/// </summary>
internal sealed class CommandRestrictions
{
    private static readonly PolicyDecision Accepted = PolicyDecision.Accept("end of command restrictions");

    private readonly ICommandRestriction[] _restrictions = [new RejectPlaintextSession(), new RejectUnauthenticatedSession()];

    public PolicyDecision Decide(SessionFacts session, CommandNeeds needs)
    {
        foreach (var restriction in _restrictions)
        {
            var result = restriction.Evaluate(session, needs);
            if (result.Outcome == RestrictionOutcome.Reject)
            {
                return PolicyDecision.Reject(result.Reply!, restriction.Name + ": " + result.Detail);
            }
        }
        return Accepted;
    }
}
