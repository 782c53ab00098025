using Postern.Core.Policy;

namespace Postern.Policy.Restrictions;

/// <summary>
/// The trace of one stage: every restriction evaluated, in order, and the decision they led to.
/// The session logs the decision's reason; <c>postern access check</c> prints the steps.
/// </summary>
/// <param name="Stage">The stage evaluated.</param>
/// <param name="Steps">The restrictions evaluated, in order.</param>
/// <param name="Decision">The decision the session acts on; its reason names the rule and map line.</param>
public sealed record StageEvaluation(RestrictionStage Stage, IReadOnlyList<RestrictionStep> Steps, PolicyDecision Decision);
