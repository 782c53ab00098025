using Postern.Delivery.MtaSts;

namespace Postern.Hosting;

/// <summary>The MTA-STS source when no MTA-STS lookups are made: every domain has no policy, so hosts without DANE go as <c>may</c>.</summary>
internal sealed class NoMtaStsPolicies : IMtaStsPolicySource
{
    public ValueTask<MtaStsLookup> GetAsync(string domain, CancellationToken cancellationToken) => ValueTask.FromResult(MtaStsLookup.None);
}
