using System.Diagnostics.Metrics;
using Postern.Pki.Acme.Issuance;

namespace Postern.Hosting;

/// <summary>
/// The ACME instruments on the process's meter: orders by result, each live certificate's
/// seconds of validity left (by key type) and the failures in a row, both read from the state
/// the renewal loop last saw.
/// </summary>
internal sealed class AcmeMetrics
{
    private readonly Counter<long> _orders;
    private readonly TimeProvider _clock;
    private AcmeState _state = new();

    public AcmeMetrics(Meter meter, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _clock = clock;
        _orders = meter.CreateCounter<long>(
            "postern.acme.orders", "{order}", "ACME orders by result (issued, failed); one per certificate issued, one per failed attempt");
        meter.CreateObservableGauge(
            "postern.acme.certificate.expiry", ObserveExpiry, "s", "Seconds of validity left of each live ACME certificate, by key type (ecdsa, rsa)");
        meter.CreateObservableGauge(
            "postern.acme.renewal.failures", () => (long)Volatile.Read(ref _state).ConsecutiveFailures, "{failure}", "ACME renewal attempts that failed in a row (0 after a success)");
    }

    /// <summary>The state after an attempt or at start: what the gauges report.</summary>
    public void Observe(AcmeState state) => Volatile.Write(ref _state, state);

    public void Issued(int certificates) => _orders.Add(certificates, new KeyValuePair<string, object?>("result", "issued"));

    public void Failed() => _orders.Add(1, new KeyValuePair<string, object?>("result", "failed"));

    private IEnumerable<Measurement<double>> ObserveExpiry()
    {
        var now = _clock.GetUtcNow();
        return Volatile.Read(ref _state).Certificates.Select(c =>
            new Measurement<double>((c.NotAfter - now).TotalSeconds, new KeyValuePair<string, object?>("key_type", c.KeyType)));
    }
}
