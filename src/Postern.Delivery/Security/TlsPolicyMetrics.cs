using System.Diagnostics.Metrics;

namespace Postern.Delivery.Security;

/// <summary>
/// Outbound sessions by the requirement they were held to and how that ended: one count per
/// session attempt (a reused session is not a new attempt) and per host skipped by its plan.
/// Labels come from fixed words only.
/// </summary>
public sealed class TlsPolicyMetrics
{
    private readonly Counter<long> _sessions;

    public TlsPolicyMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _sessions = meter.CreateCounter<long>(
            "postern.relay.tls.sessions", "{session}", "Outbound sessions by TLS requirement (may, encrypt, verify, dane, sts-enforce, sts-testing) and result (authenticated, encrypted, plaintext, failed, skipped)");
    }

    internal void Count(HostSecurity security, TlsSessionResult result) =>
        _sessions.Add(
            1,
            new KeyValuePair<string, object?>("policy", security.Word),
            new KeyValuePair<string, object?>("result", result.ToString().ToLowerInvariant()));
}
