using System.Diagnostics.Metrics;

namespace Postern.Queue.TlsReports;

/// <summary>Reports handed to a receiver (mail queued, POST answered 2xx) or not, by method.</summary>
public sealed class TlsReportMetrics
{
    private readonly Counter<long> _reports;

    public TlsReportMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _reports = meter.CreateCounter<long>(
            "postern.tlsrpt.reports", "{report}", "TLS-RPT reports by result (sent, failed: one per failed try) and method (mail, https)");
    }

    internal void Sent(string method) => _reports.Add(1, new("result", "sent"), new("method", method));

    internal void Failed(string method) => _reports.Add(1, new("result", "failed"), new("method", method));
}
