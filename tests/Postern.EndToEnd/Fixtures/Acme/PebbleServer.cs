using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Postern.EndToEnd.Fixtures.Acme;

/// <summary>
/// A private pebble (Debian package pebble 2.4.0, the ACME test server of Let's Encrypt) on free
/// loopback ports: its HTTPS certificate made by the test (a small CA from
/// <see cref="MxCertificates"/>, leaf for 127.0.0.1 and localhost; <see cref="HttpsCaFile"/> is what
/// <c>acme.directory_ca_file</c> names), its own JSON configuration, validation against Postern's
/// responder ports, names resolved through the test's DNS server. Pebble makes a new root and
/// intermediate CA at every start; the root is fetched from its management port
/// (<see cref="RootFile"/>) so tests can verify what Postern serves.
/// Environment: <c>PEBBLE_VA_NOSLEEP=1</c> (validation at once, not after up to 15 s),
/// <c>PEBBLE_AUTHZREUSE=0</c> (every order proves control again, so a renewal exercises the
/// responder and a broken responder fails it). Pebble's default rejection of 5% of good nonces
/// stays on, so Postern's badNonce retries are exercised. Stopped by its PID.
/// </summary>
public sealed class PebbleServer : IAsyncDisposable
{
    private const string Program = "/usr/bin/pebble";
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);
    private readonly string _directory;
    private readonly MxCertificates _httpsPki;
    private ForegroundDaemon _daemon = null!;
    private int _managementPort;
    private bool _stopped;

    private PebbleServer(string directory, MxCertificates httpsPki)
    {
        _directory = directory;
        _httpsPki = httpsPki;
    }

    /// <summary>The ACME directory URL, for <c>acme.directory</c>.</summary>
    public string DirectoryUrl => $"https://127.0.0.1:{_daemon.Port.ToString(CultureInfo.InvariantCulture)}/dir";

    /// <summary>The CA of pebble's own HTTPS certificate (PEM), for <c>acme.directory_ca_file</c>.</summary>
    public string HttpsCaFile => _httpsPki.CaFile;

    /// <summary>The root CA pebble issues under (PEM, fetched at start): what a client verifies Postern's ACME certificate against.</summary>
    public string RootFile => Path.Combine(_directory, "pebble-root.pem");

    /// <summary>The intermediate CA that signs the certificates (PEM, fetched at start).</summary>
    public string IntermediateFile => Path.Combine(_directory, "pebble-intermediate.pem");

    /// <summary>What pebble logged so far (each request, each validation and its result).</summary>
    public string Output => _daemon.Output;

    /// <summary>True once pebble was stopped or exited by itself.</summary>
    public bool HasExited => _stopped || _daemon.HasExited;

    public static async Task<PebbleServer> StartAsync(PebbleOptions options)
    {
        if (!File.Exists(Program))
        {
            throw new InvalidOperationException($"{Program} is missing: install the Debian package pebble (./test.sh does)");
        }
        var directory = Path.Combine(Path.GetTempPath(), "postern-pebble-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var httpsPki = new MxCertificates();
        var server = new PebbleServer(directory, httpsPki);
        try
        {
            httpsPki.Issue("pebble", ["localhost"], [IPAddress.Loopback]);
            var configFile = Path.Combine(directory, "pebble-config.json");
            // env execs pebble, so the PID the fixture stops is pebble's own.
            server._daemon = await ForegroundDaemon.StartAsync("pebble", "/usr/bin/env", port =>
            {
                server._managementPort = ForegroundDaemon.FreePort();
                File.WriteAllText(configFile, Config(options, port, server._managementPort, httpsPki));
                return ["PEBBLE_VA_NOSLEEP=1", "PEBBLE_AUTHZREUSE=0", Program, "-config", configFile, "-dnsserver", options.DnsServer];
            }, StartWait);
            await server.FetchCaCertificatesAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops pebble (SIGTERM by PID, SIGKILL after a grace): the CA is down from now on.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _daemon.DisposeAsync();
        }
    }

    private static string Config(PebbleOptions options, int port, int managementPort, MxCertificates httpsPki)
    {
        var macKeys = new JsonObject();
        foreach (var (kid, key) in options.EabKeys)
        {
            macKeys[kid] = key;
        }
        var pebble = new JsonObject
        {
            ["listenAddress"] = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            ["managementListenAddress"] = "127.0.0.1:" + managementPort.ToString(CultureInfo.InvariantCulture),
            ["certificate"] = httpsPki.CertFile("pebble"),
            ["privateKey"] = httpsPki.KeyFile("pebble"),
            ["httpPort"] = options.HttpPort,
            ["tlsPort"] = options.TlsPort,
            ["ocspResponderURL"] = "",
            ["externalAccountBindingRequired"] = options.EabKeys.Count > 0,
            ["externalAccountMACKeys"] = macKeys,
            ["certificateValidityPeriod"] = (long)options.Validity.TotalSeconds,
        };
        return new JsonObject { ["pebble"] = pebble }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Waits (bounded) for the management port, then stores the root and intermediate CA it serves.</summary>
    private async Task FetchCaCertificatesAsync()
    {
        var deadline = DateTime.UtcNow + StartWait;
        while (!ProcFs.IsListening(_daemon.ProcessId, _managementPort))
        {
            if (DateTime.UtcNow > deadline || _daemon.HasExited)
            {
                throw new InvalidOperationException($"pebble's management interface did not listen on 127.0.0.1:{_managementPort}:\n{Output}");
            }
            await Task.Delay(50);
        }
        using var client = TrustingHttpClient.Create(HttpsCaFile);
        var management = "https://127.0.0.1:" + _managementPort.ToString(CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(RootFile, await client.GetStringAsync(management + "/roots/0"));
        await File.WriteAllTextAsync(IntermediateFile, await client.GetStringAsync(management + "/intermediates/0"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null)
        {
            await StopAsync();
        }
        _httpsPki.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
