
namespace Postern.Policy.Restrictions;

/// <summary><c>permit</c>, <c>reject</c> (550 5.7.1) and <c>defer</c> (450 4.7.1): the same answer every time.</summary>
internal sealed class FixedRestriction(string name, RestrictionResult result) : IRestriction
{
    public static FixedRestriction Permit { get; } = new("permit", RestrictionResult.Permit("permit", relays: false));

    public static FixedRestriction Reject { get; } = new("reject", RestrictionResult.Reject(PolicyReplies.AccessDenied, "reject"));

    public static FixedRestriction Defer { get; } = new("defer", RestrictionResult.Reject(PolicyReplies.TryAgainLater, "defer"));

    public string Name => name;

    public bool AppliesTo(RestrictionStage stage) => true;

    public RestrictionResult Evaluate(RestrictionContext context) => result;
}
