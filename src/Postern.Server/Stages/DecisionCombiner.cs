using Postern.Core.Policy;
using Postern.Core.Stages;

namespace Postern.Server.Stages;

/// <summary>
/// Folds the handlers' decisions for one stage into one, in handler order (see
/// <see cref="StagePipeline"/> for the rule). A mutable struct, so combining allocates nothing.
/// </summary>
internal struct DecisionCombiner
{
    private PolicyDecision? _accepted;
    private PolicyDecision? _quarantine;
    private PolicyDecision? _final;

    /// <summary>Adds the next handler's decision; true when it ends the stage (later handlers are not asked).</summary>
    public bool Add(PolicyDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        switch (decision.Verdict)
        {
            case PolicyVerdict.Reject:
            case PolicyVerdict.Discard:
                _final = decision;
                return true;
            case PolicyVerdict.Quarantine:
                _quarantine ??= decision;
                return false;
            default:
                _accepted ??= decision;
                return false;
        }
    }

    /// <summary>The stage's decision: the refusal or discard that ended it, else the first quarantine, else the first acceptance.</summary>
    public readonly PolicyDecision Result => _final ?? _quarantine ?? _accepted ?? StageDecisions.Accepted.Result;
}
