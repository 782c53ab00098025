namespace Postern.Policy.Restrictions;

/// <summary>
/// check_client_access: the client address under <c>Connect:</c> and untagged keys. RELAY lets the
/// client relay (like a relay network); OK accepts the stage, which at RCPT never grants relaying.
/// </summary>
internal sealed class CheckClientAccess : IRestriction
{
    public string Name => "check_client_access";

    public bool AppliesTo(RestrictionStage stage) => true;

    public RestrictionResult Evaluate(RestrictionContext context)
    {
        var client = context.ClientAddress;
        return context.Map.LookupConnect(client, null) is { } entry
            ? AccessEntryResult.From(context.Map, entry, relayMeansRelay: true)
            : RestrictionResult.Dunno("no Connect: entry for " + client);
    }
}
