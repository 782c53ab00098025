using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Postern.Hosting;

/// <summary>
/// The <c>[metrics]</c> HTTP endpoint: OpenTelemetry's Prometheus exporter serves the
/// <see cref="MeterName"/> meter on <c>/metrics</c>, and a second HttpListener on the same port
/// answers <c>/healthz</c> (HttpListener shares one socket between listeners with different
/// path prefixes). Port 0 picks a free port first, as HttpListener cannot bind port 0; the
/// address actually used is logged.
/// </summary>
internal sealed partial class MetricsEndpoint : IAsyncDisposable
{
    public const string MeterName = "Postern";

    private readonly MeterProvider _provider;
    private readonly HttpListener _health;
    private readonly HealthCheck _check;
    private readonly Task _healthLoop;

    private MetricsEndpoint(MeterProvider provider, HttpListener health, HealthCheck check, Uri address)
    {
        _provider = provider;
        _health = health;
        _check = check;
        Address = address;
        _healthLoop = Task.Run(ServeHealthAsync);
    }

    /// <summary>The base address, e.g. <c>http://127.0.0.1:9025/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The process's meter; its instruments are what <c>/metrics</c> shows.</summary>
    public static Meter CreateMeter() =>
        new(MeterName, typeof(MetricsEndpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    /// <summary>Starts both listeners; an address that cannot be bound is an <see cref="IOException"/> naming <c>metrics.listen</c>.</summary>
    public static MetricsEndpoint Start(IPEndPoint listen, HealthCheck check, ILogger logger)
    {
        var port = listen.Port == 0 ? FreePort(listen.Address) : listen.Port;
        var host = PrefixHost(listen.Address);
        MeterProvider? provider = null;
        var health = new HttpListener();
        try
        {
            provider = Sdk.CreateMeterProviderBuilder()
                .ConfigureResource(resource => resource.AddService("postern", serviceVersion: typeof(MetricsEndpoint).Assembly.GetName().Version?.ToString()))
                .AddMeter(MeterName)
                .AddPrometheusHttpListener(options =>
                {
                    options.Host = host;
                    options.Port = port;
                    options.ScrapeEndpointPath = "/metrics";
                    options.ScopeInfoEnabled = false;
                })
                .Build();
            health.Prefixes.Add($"http://{host}:{port}/healthz/");
            health.Start();
        }
        catch (Exception e) when (e is HttpListenerException or SocketException or InvalidOperationException)
        {
            provider?.Dispose();
            health.Close();
            throw new IOException($"metrics.listen: cannot listen on {listen.Address}:{port}: {e.Message}", e);
        }
        var address = new Uri($"http://{(listen.Address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + listen.Address + "]" : listen.Address)}:{port}/");
        Listening(logger, address);
        return new MetricsEndpoint(provider, health, check, address);
    }

    private async Task ServeHealthAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _health.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // Stopped.
            }
            try
            {
                var problem = _check.Problem();
                var body = Encoding.UTF8.GetBytes(problem is null ? "ok\n" : problem + "\n");
                context.Response.StatusCode = problem is null ? 200 : 503;
                context.Response.ContentType = "text/plain; charset=utf-8";
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The prober went away mid-answer.
            }
        }
    }

    // HttpListener prefixes: "+" binds every address of the family; literal addresses bind just that one.
    private static string PrefixHost(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "+"
        : address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]"
        : address.ToString();

    private static int FreePort(IPAddress address)
    {
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _health.Close();
        await _healthLoop;
        _provider.Dispose();
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "metrics listening on {Address} (paths /metrics, /healthz)")]
    private static partial void Listening(ILogger logger, Uri address);
}
