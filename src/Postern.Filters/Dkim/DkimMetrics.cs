using System.Diagnostics.Metrics;

namespace Postern.Filters.Dkim;

/// <summary>
/// The signer's instrument on the process's meter: signatures added by algorithm, and messages
/// that should have been signed but were not, by reason. Labels come from fixed words only.
/// </summary>
public sealed class DkimMetrics
{
    private readonly Counter<long> _signatures;
    private readonly Counter<long> _failures;

    public DkimMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _signatures = meter.CreateCounter<long>(
            "postern.dkim.signatures", "{signature}", "DKIM signatures added to outgoing mail, by algorithm");
        _failures = meter.CreateCounter<long>(
            "postern.dkim.failures", "{message}", "Messages due for a DKIM signature that did not get one, by reason (no_separator: unsigned and accepted; error: refused with 451)");
    }

    internal void Signed(DkimAlgorithm algorithm) => _signatures.Add(1, new KeyValuePair<string, object?>("algorithm", algorithm.SignatureTag()));

    internal void Failed(string reason) => _failures.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
