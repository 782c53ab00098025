using Postern.Policy.Access;

namespace Postern.Policy.Restrictions;

/// <summary>Turns the access-map line a check found into a result, as sendmail's rulesets do.</summary>
internal static class AccessEntryResult
{
    /// <param name="map">The map, for the entry's file:line.</param>
    /// <param name="entry">The line that matched.</param>
    /// <param name="relayMeansRelay">Whether RELAY there authorises relaying (client, recipient, certificate) or only means OK (sender).</param>
    /// <param name="okRelays">Whether OK authorises relaying too (certificate entries, as sendmail's RelayTLS).</param>
    public static RestrictionResult From(AccessMap map, AccessEntry entry, bool relayMeansRelay, bool okRelays = false)
    {
        var source = map.Where(entry);
        var detail = entry.Describe();
        var result = entry.Action switch
        {
            AccessAction.Ok => RestrictionResult.Permit(detail, okRelays),
            AccessAction.Relay => RestrictionResult.Permit(detail, relayMeansRelay),
            AccessAction.Reject => RestrictionResult.Reject(PolicyReplies.AccessDenied, detail),
            AccessAction.Error when entry.Reply is { } reply => RestrictionResult.Reject(reply, detail),
            AccessAction.Discard => new RestrictionResult(RestrictionOutcome.Discard, detail),
            AccessAction.Quarantine => new RestrictionResult(RestrictionOutcome.Quarantine, detail) { QuarantineReason = entry.QuarantineReason },
            _ => RestrictionResult.Dunno(detail),
        };
        return result with { Source = source };
    }
}
