using Postern.Core.Policy;

namespace Postern.Core.Stages;

/// <summary>The decisions a stage handler gives without a reason of its own.</summary>
public static class StageDecisions
{
    private static readonly PolicyDecision Accept = PolicyDecision.Accept("accepted");

    /// <summary>No objection: the next handler is asked. One shared instance, so it costs nothing.</summary>
    public static ValueTask<PolicyDecision> Accepted => ValueTask.FromResult(Accept);
}
