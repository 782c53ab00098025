namespace Postern.EndToEnd.Fixtures.Milters;

/// <summary>
/// dns_responder.py (Debian's python3-dns) on a free loopback port, UDP and TCP: the TXT records
/// it is given and NXDOMAIN for everything else, for a verifier that asks DNS itself (Postern's
/// authentication results, through <c>delivery.dns_servers</c>).
/// </summary>
public sealed class TestDns : IAsyncDisposable
{
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);
    private readonly string _directory;
    private ForegroundDaemon _daemon = null!;

    private TestDns(string directory) => _directory = directory;

    /// <summary>The server as <c>delivery.dns_servers</c> takes it.</summary>
    public string Server => "127.0.0.1:" + _daemon.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<TestDns> StartAsync(IReadOnlyDictionary<string, string> txtRecords)
    {
        var directory = Path.Combine(Path.GetTempPath(), "postern-dns-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var instance = new TestDns(directory);
        try
        {
            var records = Path.Combine(directory, "records");
            await File.WriteAllLinesAsync(records, txtRecords.Select(r => r.Key + " " + r.Value));
            var script = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Milters", "dns_responder.py");
            instance._daemon = await ForegroundDaemon.StartAsync("dns_responder.py", "/usr/bin/python3",
                port => [script, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--records", records], StartWait);
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }
}
