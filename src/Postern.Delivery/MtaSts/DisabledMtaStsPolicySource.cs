namespace Postern.Delivery.MtaSts;

/// <summary>The source when <c>mta_sts.enabled = false</c>: no domain has a policy.</summary>
public sealed class DisabledMtaStsPolicySource : IMtaStsPolicySource
{
    public ValueTask<MtaStsLookup> GetAsync(string domain, CancellationToken cancellationToken) =>
        ValueTask.FromResult(MtaStsLookup.None);
}
