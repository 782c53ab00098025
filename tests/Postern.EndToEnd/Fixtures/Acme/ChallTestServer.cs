using System.Globalization;

namespace Postern.EndToEnd.Fixtures.Acme;

/// <summary>
/// A private <c>pebble-challtestsrv</c> (Debian package pebble) as the DNS server pebble's
/// validation authority asks: only its DNS server runs (on a free loopback port, UDP and TCP; its
/// HTTP-01, TLS-ALPN-01 and HTTPS responders are switched off, since Postern answers the challenges
/// itself), and it answers every A query with 127.0.0.1 and no AAAA, so every test name leads pebble
/// to Postern's responders on loopback. Its management API is bound to loopback because the program
/// insists on one; nothing uses it. Stopped by its PID.
/// </summary>
public sealed class ChallTestServer : IAsyncDisposable
{
    private const string Program = "/usr/bin/pebble-challtestsrv";
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);
    private readonly ForegroundDaemon _daemon;

    private ChallTestServer(ForegroundDaemon daemon) => _daemon = daemon;

    /// <summary>The DNS server as pebble's <c>-dnsserver</c> takes it.</summary>
    public string Address => "127.0.0.1:" + _daemon.Port.ToString(CultureInfo.InvariantCulture);

    public string Output => _daemon.Output;

    public static async Task<ChallTestServer> StartAsync()
    {
        var daemon = await ForegroundDaemon.StartAsync("pebble-challtestsrv", Program, port =>
        [
            "-dns01", "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "-http01", "", "-tlsalpn01", "", "-https01", "",
            "-management", "127.0.0.1:" + ForegroundDaemon.FreePort().ToString(CultureInfo.InvariantCulture),
            "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
        ], StartWait);
        return new ChallTestServer(daemon);
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();
}
