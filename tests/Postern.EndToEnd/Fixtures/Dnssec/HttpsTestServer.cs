using System.Globalization;

namespace Postern.EndToEnd.Fixtures.Dnssec;

/// <summary>
/// https_server.py under Debian's /usr/bin/python3 on a free loopback port: the MTA-STS policy
/// host of every test domain (<c>mta_sts.connect_to</c> sends Postern's policy fetches here; the
/// Host header picks the policy) and a TLS-RPT report receiver (POSTs stored as files). Its
/// certificate comes from <see cref="MxCertificates"/>, for the mta-sts names given and 127.0.0.1.
/// </summary>
public sealed class HttpsTestServer : IAsyncDisposable
{
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);
    private readonly string _directory;
    private ForegroundDaemon _daemon = null!;

    private HttpsTestServer(string directory) => _directory = directory;

    private string Policies => Path.Combine(_directory, "policies");

    private string Posts => Path.Combine(_directory, "posts");

    /// <summary>The server as <c>mta_sts.connect_to</c> takes it.</summary>
    public string Address => "127.0.0.1:" + _daemon.Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>An https URL on this server (the certificate names 127.0.0.1), for a TLS-RPT <c>rua=</c>.</summary>
    public string Url(string path) => "https://" + Address + path;

    public string Output => _daemon.Output;

    /// <summary>Starts the server with a certificate <paramref name="certificates"/> issues for the mta-sts hosts of <paramref name="stsDomains"/>.</summary>
    public static async Task<HttpsTestServer> StartAsync(MxCertificates certificates, IEnumerable<string> stsDomains)
    {
        certificates.Issue("https", ["policy.e2e.test", .. stsDomains.Select(d => "mta-sts." + d)], [System.Net.IPAddress.Loopback]);
        var directory = Path.Combine(Path.GetTempPath(), "postern-https-" + Guid.NewGuid().ToString("N")[..12]);
        var server = new HttpsTestServer(directory);
        Directory.CreateDirectory(server.Policies);
        Directory.CreateDirectory(server.Posts);
        try
        {
            var script = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Dnssec", "https_server.py");
            server._daemon = await ForegroundDaemon.StartAsync("https_server.py", "/usr/bin/python3",
                port => [script, "--port", port.ToString(CultureInfo.InvariantCulture), "--cert", certificates.CertFile("https"),
                    "--key", certificates.KeyFile("https"), "--policies", server.Policies, "--posts", server.Posts], StartWait);
            return server;
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Publishes <paramref name="policy"/> (the policy file's text) as the MTA-STS policy of <paramref name="domain"/>.</summary>
    public void SetPolicy(string domain, string policy) => File.WriteAllText(Path.Combine(Policies, domain), policy);

    /// <summary>The POSTs received so far: the request line and headers, and the body.</summary>
    public IReadOnlyList<(string Headers, byte[] Body)> Received() =>
        [.. Directory.GetFiles(Posts, "*.body").Order(StringComparer.Ordinal)
            .Select(body => (File.ReadAllText(Path.ChangeExtension(body, ".headers")), File.ReadAllBytes(body)))];

    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }
}
