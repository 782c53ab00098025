using Postern.Policy.Access;

namespace Postern.Policy.Restrictions;

/// <summary>
/// permit_relay_networks: a client in <c>policy.relay_networks</c>, or listed in the access map
/// with <c>Connect:</c> (or an untagged address) <c>RELAY</c> as in sendmail, may relay.
/// Loopback has no special trust.
/// </summary>
internal sealed class PermitRelayNetworks : IRestriction
{
    public string Name => "permit_relay_networks";

    public bool AppliesTo(RestrictionStage stage) => true;

    public RestrictionResult Evaluate(RestrictionContext context)
    {
        var client = context.ClientAddress;
        foreach (var network in context.RelayNetworks)
        {
            if (network.Contains(client))
            {
                return RestrictionResult.Permit("client in relay network " + network, relays: true);
            }
        }
        if (context.Map.LookupConnect(client, null) is { Action: AccessAction.Relay } entry)
        {
            return RestrictionResult.Permit("client listed " + entry.Describe(), relays: true) with { Source = context.Map.Where(entry) };
        }
        return RestrictionResult.Dunno(client + " is not in relay_networks or a Connect: RELAY entry");
    }
}
