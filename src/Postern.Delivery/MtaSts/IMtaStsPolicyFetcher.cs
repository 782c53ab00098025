namespace Postern.Delivery.MtaSts;

/// <summary>Fetches the policy body from <c>https://mta-sts.DOMAIN/.well-known/mta-sts.txt</c>.</summary>
public interface IMtaStsPolicyFetcher
{
    ValueTask<MtaStsFetchResult> FetchAsync(string domain, CancellationToken cancellationToken);
}
