namespace Postern.Policy.Restrictions;

/// <summary>
/// reject_routing_tricks: always first at RCPT, whatever is configured, because no client may
/// route mail through Postern by address syntax. Address literals are never relayed; a local part
/// with <c>%</c>, <c>!</c> or <c>@</c> in a domain that is not local never routes (in a local
/// domain it is only looked up, never routed). The one place for address-trick hardening.
/// </summary>
internal sealed class RoutingTricks : IRestriction
{
    public const string RestrictionName = "reject_routing_tricks";

    public string Name => RestrictionName;

    public bool AppliesTo(RestrictionStage stage) => stage == RestrictionStage.Rcpt;

    public RestrictionResult Evaluate(RestrictionContext context)
    {
        var recipient = context.Recipient!;
        if (recipient.IsDomainLiteral)
        {
            return RejectUnauthDestination.Deny(recipient, "address literals are never relayed");
        }
        if (!context.Local.IsLocalDomain(recipient.Domain) && recipient.LocalPart.AsSpan().IndexOfAny('%', '!', '@') >= 0)
        {
            return RejectUnauthDestination.Deny(recipient, "'%', '!' or '@' in the local part never route mail");
        }
        return RestrictionResult.Dunno("no routing syntax");
    }
}
