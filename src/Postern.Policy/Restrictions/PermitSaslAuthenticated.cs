namespace Postern.Policy.Restrictions;

/// <summary>
/// permit_sasl_authenticated: the client authenticated with a trusted mechanism (the session sets
/// <c>AuthenticatedUser</c> only then).
/// </summary>
internal sealed class PermitSaslAuthenticated : IRestriction
{
    public string Name => "permit_sasl_authenticated";

    public bool AppliesTo(RestrictionStage stage) => true;

    public RestrictionResult Evaluate(RestrictionContext context) =>
        context.Session.AuthenticatedUser is { Length: > 0 } user
            ? RestrictionResult.Permit("authenticated as " + user, relays: true)
            : RestrictionResult.Dunno("not authenticated");
}
