namespace Postern.EndToEnd.Fixtures.Milters;

/// <summary>
/// A private OpenDMARC (Debian's opendmarc) on a free loopback port, in the foreground (-f), with
/// its own configuration and PID file in a temp directory. IgnoreHosts names a documentation
/// address only, so the tests' loopback mail is checked (the default ignores 127.0.0.1). It trusts
/// the Authentication-Results of <c>trustedAuthservIds</c> (an OpenDKIM in front of it). With no
/// DMARC record in any DNS for the tests' .test domains its verdict is none (temperror where no
/// resolver answers at all): what matters is the header it writes through the MTA's milter path.
/// </summary>
public sealed class OpenDmarc : IAsyncDisposable
{
    private const string Program = "/usr/sbin/opendmarc";
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);
    private readonly string _directory;
    private ForegroundDaemon _daemon = null!;

    private OpenDmarc(string directory, string authservId)
    {
        _directory = directory;
        AuthservId = authservId;
    }

    /// <summary>The authserv-id of the Authentication-Results header it writes.</summary>
    public string AuthservId { get; }

    public ForegroundDaemon Daemon => _daemon;

    public static async Task<OpenDmarc> StartAsync(string authservId = "opendmarc.test", string trustedAuthservIds = "opendkim.test")
    {
        var directory = Path.Combine(Path.GetTempPath(), "postern-opendmarc-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var instance = new OpenDmarc(directory, authservId);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "ignore"), "192.0.2.1\n");
            var config = Path.Combine(directory, "opendmarc.conf");
            await File.WriteAllTextAsync(config, $"""
                Syslog false
                AuthservID {authservId}
                TrustedAuthservIDs {trustedAuthservIds}
                IgnoreHosts {directory}/ignore
                PidFile {directory}/opendmarc.pid
                SPFSelfValidate false
                DNSTimeout 2

                """);
            instance._daemon = await ForegroundDaemon.StartAsync("opendmarc", Program,
                port => ["-f", "-c", config, "-p", $"inet:{port}@127.0.0.1"], StartWait);
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
