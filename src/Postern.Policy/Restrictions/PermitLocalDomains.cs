using Postern.Core.Delivery;

namespace Postern.Policy.Restrictions;

/// <summary>
/// permit_local_domains: a recipient in a local domain is accepted when it is a user or alias,
/// refused with 550 5.1.1 when it is not, and deferred when the lookup failed.
/// </summary>
internal sealed class PermitLocalDomains : IRestriction
{
    public string Name => "permit_local_domains";

    public bool AppliesTo(RestrictionStage stage) => stage == RestrictionStage.Rcpt;

    public RestrictionResult Evaluate(RestrictionContext context)
    {
        var recipient = context.Recipient!;
        if (recipient.IsDomainLiteral || !context.Local.IsLocalDomain(recipient.Domain))
        {
            return RestrictionResult.Dunno(recipient.Domain + " is not a local domain");
        }
        return context.Local.Lookup(recipient) switch
        {
            LocalRecipientStatus.Known => RestrictionResult.Permit("local recipient", relays: true),
            LocalRecipientStatus.Unknown => RestrictionResult.Reject(
                PolicyReplies.UserUnknown(recipient),
                "no such local user or alias"),
            _ => RestrictionResult.Reject(
                PolicyReplies.RecipientLookupFailed(recipient),
                "local recipient lookup failed"),
        };
    }
}
