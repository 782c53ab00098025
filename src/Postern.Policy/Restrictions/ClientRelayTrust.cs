namespace Postern.Policy.Restrictions;

/// <summary>
/// Whether the client may relay whatever the recipient: the restrictions of the configured
/// recipient list that judge the client alone (its address, its AUTH identity, its certificate),
/// asked in that list's order. The first that grants relaying says yes; the first that refuses
/// says no; the rest (and a permit that does not grant relaying, such as an access-map OK) go on,
/// as the engine goes on at RCPT. A trust restriction left out of the list grants nothing here
/// either, so the answer is the one the RCPT stage gives for a domain Postern does not serve.
/// </summary>
internal sealed class ClientRelayTrust
{
    private static readonly HashSet<string> ClientRestrictions = new(StringComparer.Ordinal)
    {
        "check_client_access",
        "permit_relay_networks",
        "permit_sasl_authenticated",
        "permit_tls_clientcerts",
    };

    private readonly IRestriction[] _restrictions;

    public ClientRelayTrust(RestrictionLists lists)
    {
        ArgumentNullException.ThrowIfNull(lists);
        _restrictions = [.. RestrictionCatalog.Resolve(RestrictionStage.Rcpt, lists.Recipient).Where(r => ClientRestrictions.Contains(r.Name))];
    }

    /// <summary>The restrictions asked, by name, in order.</summary>
    public IEnumerable<string> Names => _restrictions.Select(r => r.Name);

    public bool MayRelay(RestrictionContext context)
    {
        foreach (var restriction in _restrictions)
        {
            var result = restriction.Evaluate(context);
            switch (result.Outcome)
            {
                case RestrictionOutcome.Permit when result.Relays:
                    return true;
                case RestrictionOutcome.Reject or RestrictionOutcome.Discard:
                    return false;
                default:
                    continue;
            }
        }
        return false;
    }
}
