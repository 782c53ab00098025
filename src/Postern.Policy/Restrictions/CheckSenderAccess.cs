using Postern.Core.Addressing;
using Postern.Policy.Access;

namespace Postern.Policy.Restrictions;

/// <summary>
/// check_sender_access: the reverse path under <c>From:</c> and untagged keys. RELAY here means
/// only OK: sendmail relays by sender only with FEATURE(relay_mail_from), and a sender address is
/// trivially forged, so Postern never relays because of who the mail claims to be from.
/// </summary>
internal sealed class CheckSenderAccess : IRestriction
{
    public string Name => "check_sender_access";

    public bool AppliesTo(RestrictionStage stage) => stage is RestrictionStage.Mail or RestrictionStage.Rcpt or RestrictionStage.Data;

    public RestrictionResult Evaluate(RestrictionContext context)
    {
        if (context.Map.LookupSender(context.Sender) is not { } entry)
        {
            return RestrictionResult.Dunno("no From: entry for " + ReversePath.Format(context.Sender));
        }
        var result = AccessEntryResult.From(context.Map, entry, relayMeansRelay: false);
        return entry.Action == AccessAction.Relay
            ? result with { Detail = result.Detail + " (RELAY by sender means OK: Postern never relays by sender)" }
            : result;
    }
}
