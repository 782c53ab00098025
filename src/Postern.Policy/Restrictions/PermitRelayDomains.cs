namespace Postern.Policy.Restrictions;

/// <summary>permit_relay_domains: a recipient in <c>policy.relay_domains</c> is accepted from anyone.</summary>
internal sealed class PermitRelayDomains : IRestriction
{
    public string Name => "permit_relay_domains";

    public bool AppliesTo(RestrictionStage stage) => stage == RestrictionStage.Rcpt;

    public RestrictionResult Evaluate(RestrictionContext context)
    {
        var recipient = context.Recipient!;
        return !recipient.IsDomainLiteral && context.RelayDomains.Match(recipient.Domain) is { } entry
            ? RestrictionResult.Permit("relay domain " + recipient.Domain + " (relay_domains " + entry + ")", relays: true)
            : RestrictionResult.Dunno(recipient.Domain + " is not a relay domain");
    }
}
