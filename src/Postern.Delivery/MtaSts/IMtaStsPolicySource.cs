namespace Postern.Delivery.MtaSts;

/// <summary>
/// A domain's MTA-STS policy: the <c>_mta-sts</c> TXT record, the policy from
/// <c>https://mta-sts.DOMAIN/.well-known/mta-sts.txt</c>, and the disk cache in between.
/// </summary>
public interface IMtaStsPolicySource
{
    ValueTask<MtaStsLookup> GetAsync(string domain, CancellationToken cancellationToken);
}
