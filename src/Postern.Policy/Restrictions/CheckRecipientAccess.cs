namespace Postern.Policy.Restrictions;

/// <summary>
/// check_recipient_access: the recipient under <c>To:</c> and untagged keys. RELAY relays to that
/// destination; OK only stops further checks for a local or relay-domain recipient and never
/// grants relaying elsewhere.
/// </summary>
internal sealed class CheckRecipientAccess : IRestriction
{
    public string Name => "check_recipient_access";

    public bool AppliesTo(RestrictionStage stage) => stage == RestrictionStage.Rcpt;

    public RestrictionResult Evaluate(RestrictionContext context)
    {
        var recipient = context.Recipient!;
        return context.Map.LookupRecipient(recipient) is { } entry
            ? AccessEntryResult.From(context.Map, entry, relayMeansRelay: true)
            : RestrictionResult.Dunno("no To: entry for " + recipient);
    }
}
