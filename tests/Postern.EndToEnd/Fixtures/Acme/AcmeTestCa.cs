using System.Globalization;
using System.Text;

namespace Postern.EndToEnd.Fixtures.Acme;

/// <summary>
/// One test's private ACME CA on loopback: a pebble whose validation authority resolves every name
/// to 127.0.0.1 through a private pebble-challtestsrv (or asks another DNS server, a knotd for
/// dns-01), and the two loopback ports where Postern's challenge responders must listen for pebble
/// to reach them (<see cref="HttpPort"/>, <see cref="TlsAlpnPort"/>). Each test starts its own, so no
/// account, order or authorization leaks between tests. <see cref="AcmeSection"/> writes the
/// matching <c>[acme]</c> section.
/// </summary>
public sealed class AcmeTestCa : IAsyncDisposable
{
    private AcmeTestCa(ChallTestServer? dns, PebbleServer pebble, int httpPort, int tlsAlpnPort)
    {
        Dns = dns;
        Pebble = pebble;
        HttpPort = httpPort;
        TlsAlpnPort = tlsAlpnPort;
    }

    /// <summary>The challtestsrv pebble resolves with, or null when the test gave its own DNS server.</summary>
    public ChallTestServer? Dns { get; }

    public PebbleServer Pebble { get; }

    /// <summary>Where pebble validates http-01: Postern's <c>acme.http_listen</c> must be 127.0.0.1 on this port.</summary>
    public int HttpPort { get; }

    /// <summary>Where pebble validates tls-alpn-01: Postern's <c>acme.tls_alpn_listen</c> must be 127.0.0.1 on this port.</summary>
    public int TlsAlpnPort { get; }

    /// <summary>Pebble's root CA (PEM), to verify what Postern serves.</summary>
    public string RootFile => Pebble.RootFile;

    /// <summary>What pebble and challtestsrv said, for assertion messages.</summary>
    public string Output => "pebble:\n" + Pebble.Output + (Dns is null ? "" : "\nchalltestsrv:\n" + Dns.Output);

    /// <summary>
    /// Starts challtestsrv (unless <paramref name="dnsServer"/> names another DNS server for pebble)
    /// and pebble with <paramref name="validity"/> (90 days unless given) and <paramref name="eabKeys"/>.
    /// </summary>
    public static async Task<AcmeTestCa> StartAsync(string? dnsServer = null, TimeSpan? validity = null, IReadOnlyDictionary<string, string>? eabKeys = null)
    {
        var dns = dnsServer is null ? await ChallTestServer.StartAsync() : null;
        try
        {
            var httpPort = ForegroundDaemon.FreePort();
            var tlsAlpnPort = ForegroundDaemon.FreePort();
            var options = new PebbleOptions
            {
                HttpPort = httpPort,
                TlsPort = tlsAlpnPort,
                DnsServer = dnsServer ?? dns!.Address,
                Validity = validity ?? TimeSpan.FromDays(90),
                EabKeys = eabKeys ?? new Dictionary<string, string>(),
            };
            var pebble = await PebbleServer.StartAsync(options);
            return new AcmeTestCa(dns, pebble, httpPort, tlsAlpnPort);
        }
        catch
        {
            if (dns is not null)
            {
                await dns.DisposeAsync();
            }
            throw;
        }
    }

    /// <summary>
    /// The <c>[acme]</c> section for this CA: directory and its CA file, an email, the
    /// <paramref name="domains"/> (left out when null: the default is server.hostname), the
    /// challenge, both responders on this CA's ports (unless <paramref name="httpPort"/> moves the
    /// http-01 one elsewhere, out of pebble's reach), and <paramref name="extra"/> keys.
    /// </summary>
    public string AcmeSection(string[]? domains = null, string challenge = "http-01", string extra = "", int? httpPort = null)
    {
        var section = new StringBuilder()
            .Append("[acme]\n")
            .Append(CultureInfo.InvariantCulture, $"directory = \"{Pebble.DirectoryUrl}\"\n")
            .Append(CultureInfo.InvariantCulture, $"directory_ca_file = \"{Pebble.HttpsCaFile}\"\n")
            .Append("email = \"postmaster@e2e.test\"\n");
        if (domains is not null)
        {
            section.Append("domains = [").Append(string.Join(", ", domains.Select(d => "\"" + d + "\""))).Append("]\n");
        }
        section
            .Append(CultureInfo.InvariantCulture, $"challenge = \"{challenge}\"\n")
            .Append(CultureInfo.InvariantCulture, $"http_listen = \"127.0.0.1:{httpPort ?? HttpPort}\"\n")
            .Append(CultureInfo.InvariantCulture, $"tls_alpn_listen = \"127.0.0.1:{TlsAlpnPort}\"\n");
        if (extra.Length > 0)
        {
            section.Append(extra.TrimEnd('\n')).Append('\n');
        }
        return section.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Pebble.DisposeAsync();
        if (Dns is not null)
        {
            await Dns.DisposeAsync();
        }
    }
}
