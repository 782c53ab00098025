namespace Postern.Policy.Restrictions;

/// <summary>
/// permit_auth_destination (Postfix): a recipient in a local or relay domain is accepted, without
/// asking whether a local user exists; prefer permit_local_domains, which does.
/// </summary>
internal sealed class PermitAuthDestination : IRestriction
{
    public string Name => "permit_auth_destination";

    public bool AppliesTo(RestrictionStage stage) => stage == RestrictionStage.Rcpt;

    public RestrictionResult Evaluate(RestrictionContext context) =>
        context.IsAuthorizedDestination
            ? RestrictionResult.Permit(context.Recipient!.Domain + " is a local or relay domain", relays: true)
            : RestrictionResult.Dunno(context.Recipient!.Domain + " is not a local or relay domain");
}
