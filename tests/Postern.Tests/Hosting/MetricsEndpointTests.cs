using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Hosting;

namespace Postern.Tests.Hosting;

/// <summary>The [metrics] HTTP endpoint on a loopback port: Prometheus text on /metrics, the health check on /healthz.</summary>
public sealed class MetricsEndpointTests : IDisposable
{
    private readonly string _spool = Path.Combine(Path.GetTempPath(), "postern-metrics-" + Guid.NewGuid().ToString("N")[..12]);
    private volatile bool _listening = true;

    public MetricsEndpointTests() => Directory.CreateDirectory(Path.Combine(_spool, "tmp"));

    public void Dispose() => Directory.Delete(_spool, recursive: true);

    private async Task<MetricsEndpoint> StartAsync()
    {
        await Task.Yield();
        return MetricsEndpoint.Start(new IPEndPoint(IPAddress.Loopback, 0), new HealthCheck(() => _listening, _spool), NullLogger.Instance);
    }

    [Fact]
    public async Task Metrics_serves_the_postern_meter_in_prometheus_text()
    {
        using var meter = MetricsEndpoint.CreateMeter();
        var name = "postern.test.c" + Guid.NewGuid().ToString("N")[..8];
        await using var endpoint = await StartAsync();
        // Measurements count from when the exporter listens.
        meter.CreateCounter<long>(name, "{thing}").Add(3, new KeyValuePair<string, object?>("listener", "mta"));
        Assert.Equal(IPAddress.Loopback.ToString(), endpoint.Address.Host);
        Assert.NotEqual(0, endpoint.Address.Port);
        using var http = new HttpClient { BaseAddress = endpoint.Address, Timeout = TimeSpan.FromSeconds(10) };

        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains(name.Replace('.', '_') + "_total{listener=\"mta\"} 3", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_is_200_ok_when_listening_with_a_writable_spool_and_503_otherwise()
    {
        await using var endpoint = await StartAsync();
        using var http = new HttpClient { BaseAddress = endpoint.Address, Timeout = TimeSpan.FromSeconds(10) };

        using (var ok = await http.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("ok\n", await ok.Content.ReadAsStringAsync());
        }
        Assert.Empty(Directory.GetFiles(Path.Combine(_spool, "tmp")));

        _listening = false;
        using (var down = await http.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Contains("listeners", await down.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        _listening = true;
        Directory.Delete(Path.Combine(_spool, "tmp"));
        using var unwritable = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unwritable.StatusCode);
        Assert.StartsWith("spool is not writable", await unwritable.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_paths_are_not_found()
    {
        await using var endpoint = await StartAsync();
        using var http = new HttpClient { BaseAddress = endpoint.Address, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_port_in_use_is_an_io_error_naming_the_key()
    {
        await using var first = await StartAsync();
        var error = Assert.Throws<IOException>(() =>
            MetricsEndpoint.Start(new IPEndPoint(IPAddress.Loopback, first.Address.Port), new HealthCheck(() => true, _spool), NullLogger.Instance));
        Assert.StartsWith("metrics.listen: cannot listen on 127.0.0.1:" + first.Address.Port, error.Message, StringComparison.Ordinal);
    }
}
