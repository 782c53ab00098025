using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Postern.Delivery.Security;
using Postern.Filters.Dkim;
using Postern.Filters.Authentication;
using Postern.Hosting;
using Postern.Milter.Telemetry;
using Postern.Queue;
using Postern.Queue.TlsReports;
using Postern.Server.Telemetry;
using Postern.Testing;
using Postern.Tests.Queue;
using Postern.Tests.Server.Telemetry;

namespace Postern.Tests.Hosting;

/// <summary>docs/metrics.md lists every instrument under its Prometheus name, and the Grafana dashboard queries only those.</summary>
public sealed partial class MetricsDocumentationTests : IDisposable
{
    private readonly TempSpoolDirectory _directory = new();
    private readonly MeasurementRecorder _recorder = new();

    public void Dispose()
    {
        _recorder.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void Every_instrument_is_documented_and_the_dashboard_uses_only_documented_metrics()
    {
        var names = PrometheusNames();
        var docs = File.ReadAllText(Path.Combine(Repository.Root, "docs", "metrics.md"));
        var dashboard = File.ReadAllText(Path.Combine(Repository.Root, "docs", "grafana-postern.json"));
        using var json = JsonDocument.Parse(dashboard);

        Assert.Equal(22, names.Count);
        Assert.All(names, name => Assert.Contains("| `" + name + "` |", docs, StringComparison.Ordinal));
        var documented = DocumentedMetric().Matches(docs).Select(m => m.Groups["name"].Value).ToHashSet();
        Assert.Equal(names.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
        var queried = MetricName().Matches(dashboard).Select(m => HistogramSeries().Replace(m.Value, "")).ToHashSet();
        Assert.NotEmpty(queried);
        Assert.All(queried, name => Assert.Contains(name, names));
    }

    /// <summary>The names the OpenTelemetry exporter gives the instruments: dots to underscores, the unit, _total for counters.</summary>
    private HashSet<string> PrometheusNames()
    {
        var instruments = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter, _recorder.Meter))
                {
                    instruments.Add(instrument);
                }
            },
        };
        listener.Start();
        _ = new ServerMetrics(_recorder.Meter);
        _ = new MilterMetrics(_recorder.Meter);
        var clock = new FakeTimeProvider();
        _ = new QueueMetrics(_recorder.Meter, TestMessages.Spool(_directory, clock), clock);
        _ = new DkimMetrics(_recorder.Meter);
        _ = new AuthenticationMetrics(_recorder.Meter);
        _ = new TlsPolicyMetrics(_recorder.Meter);
        _ = new TlsReportMetrics(_recorder.Meter);
        _ = new AcmeMetrics(_recorder.Meter, clock);
        return [.. instruments.Select(i =>
            i.Name.Replace('.', '_')
            + i.Unit switch { "By" => "_bytes", "s" => "_seconds", _ => "" }
            + (i is Counter<long> ? "_total" : ""))];
    }

    [GeneratedRegex(@"^\| `(?<name>postern_[a-z_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedMetric();

    [GeneratedRegex(@"postern_[a-z_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"_bucket$")]
    private static partial Regex HistogramSeries();
}
