using DnsClient;

namespace Postern.Delivery.Routing;

/// <summary>
/// Whether the configured resolver validates DNSSEC, asked the way one can from outside: a signed
/// name (<c>delivery.dnssec_probe_signed</c>, the root by default) must come back with the AD
/// bit, and a deliberately broken one (<c>delivery.dnssec_probe_broken</c>) must fail with
/// SERVFAIL. A resolver that does not validate never sets AD, so DANE stays off on its own; one
/// that answers the broken name yet sets AD elsewhere is passing on bits it did not check, so its
/// AD bits are distrusted. A probe that gets no answer says so and changes nothing.
/// </summary>
public static class DnssecProbe
{
    public static async Task<DnssecProbeResult> RunAsync(ValidatingDnsClient client, string? signedName, string? brokenName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var resolver = client.Options.Servers.Count == 0
            ? "the system's resolver"
            : "resolver " + string.Join(", ", client.Options.Servers);
        if (brokenName is not null)
        {
            var broken = await client.QueryAsync(brokenName, QueryType.A, cancellationToken);
            if (broken.Status != DnsLookup.Failed)
            {
                return new DnssecProbeResult(false, true,
                    $"{resolver} answered the deliberately broken name \"{brokenName}\" (delivery.dnssec_probe_broken) instead of failing it: it does not validate DNSSEC, so no DNS answer counts as validated and DANE stays off; point delivery.dns_servers at a validating resolver such as unbound");
            }
        }
        if (signedName is not null)
        {
            var signed = await client.QueryAsync(signedName, QueryType.SOA, cancellationToken);
            if (signed.Status == DnsLookup.Failed)
            {
                return new DnssecProbeResult(false, false,
                    $"{resolver} did not answer the DNSSEC probe for \"{signedName}\" (delivery.dnssec_probe_signed): whether it validates is unknown; DANE applies only to answers it marks validated");
            }
            if (!signed.Authenticated)
            {
                return new DnssecProbeResult(false, false,
                    $"{resolver} does not validate DNSSEC: its answer for the signed name \"{signedName}\" (delivery.dnssec_probe_signed) lacks the AD bit, so DANE stays off; point delivery.dns_servers at a validating resolver such as unbound");
            }
        }
        return DnssecProbeResult.Validating;
    }
}
