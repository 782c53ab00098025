using System.Text.RegularExpressions;

namespace Postern.EndToEnd.Fixtures.Milters;

/// <summary>
/// A private OpenDKIM (Debian's opendkim) on a free loopback port: a key made with
/// opendkim-genkey in its own temp directory, Domain/Selector/KeyFile for <see cref="Domain"/>,
/// relaxed/relaxed, run in the foreground (-f) as root with no PID file of the system's. There is
/// no DNS: the public keys it verifies with come from TestDNSData (its own key plus
/// <c>trustedKeys</c>), the same records <see cref="DkimCheck"/> hands python3-dkim.
/// <para>
/// Mail is signed when the client is in <c>internalHosts</c> or authenticated ({auth_type} set:
/// OpenDKIM's own rule); everything else is verified and, with AlwaysAddARHeader, gets an
/// Authentication-Results header naming <see cref="AuthservId"/>.
/// </para>
/// </summary>
public sealed partial class OpenDkim : IAsyncDisposable
{
    private const string Program = "/usr/sbin/opendkim";
    private const string GenKey = "/usr/sbin/opendkim-genkey";
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);
    private readonly string _directory;
    private ForegroundDaemon _daemon = null!;

    private OpenDkim(string directory, string domain, string selector, string authservId)
    {
        _directory = directory;
        Domain = domain;
        Selector = selector;
        AuthservId = authservId;
    }

    /// <summary>The domain it signs for (d=).</summary>
    public string Domain { get; }

    public string Selector { get; }

    /// <summary>The authserv-id of the Authentication-Results headers it writes.</summary>
    public string AuthservId { get; }

    /// <summary>The DNS name its public key would be published under.</summary>
    public string KeyRecordName => $"{Selector}._domainkey.{Domain}";

    /// <summary>The TXT record to publish (from opendkim-genkey's .txt file, joined).</summary>
    public string KeyRecord { get; private set; } = "";

    public ForegroundDaemon Daemon => _daemon;

    /// <summary>
    /// Starts one. <paramref name="mode"/> is OpenDKIM's Mode ("sv": sign and verify, "v": verify only);
    /// <paramref name="trustedKeys"/> are more TXT records (name → value) it may verify with.
    /// </summary>
    public static async Task<OpenDkim> StartAsync(string domain = "example.test", string selector = "e2e", string internalHosts = "127.0.0.1",
        string mode = "sv", string authservId = "opendkim.test", IReadOnlyDictionary<string, string>? trustedKeys = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "postern-opendkim-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var instance = new OpenDkim(directory, domain, selector, authservId);
        try
        {
            await instance.StartAsync(internalHosts, mode, trustedKeys ?? new Dictionary<string, string>());
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync(string internalHosts, string mode, IReadOnlyDictionary<string, string> trustedKeys)
    {
        var (code, output) = await ExternalCommand.RunAsync(GenKey, "-D", _directory, "-d", Domain, "-s", Selector, "-b", "2048");
        if (code != 0)
        {
            throw new InvalidOperationException($"{GenKey}: {output}");
        }
        KeyRecord = JoinTxt(await File.ReadAllTextAsync(Path.Combine(_directory, Selector + ".txt")));
        var records = new Dictionary<string, string>(trustedKeys) { [KeyRecordName] = KeyRecord };
        // TestDNSData is a data set: one "name value" per line, the value the rest of the line.
        await File.WriteAllLinesAsync(Path.Combine(_directory, "dns"), records.Select(r => r.Key + " " + r.Value));
        await File.WriteAllTextAsync(Path.Combine(_directory, "internal"), internalHosts.Replace(",", "\n", StringComparison.Ordinal) + "\n");
        var config = Path.Combine(_directory, "opendkim.conf");
        await File.WriteAllTextAsync(config, $"""
            Syslog no
            Mode {mode}
            Domain {Domain}
            Selector {Selector}
            KeyFile {_directory}/{Selector}.private
            Canonicalization relaxed/relaxed
            InternalHosts file:{_directory}/internal
            AuthservID {AuthservId}
            AlwaysAddARHeader yes
            TestDNSData file:{_directory}/dns
            PidFile {_directory}/opendkim.pid
            # The key lives under /tmp, which any user may write: OpenDKIM would refuse it otherwise.
            RequireSafeKeys no

            """);
        _daemon = await ForegroundDaemon.StartAsync("opendkim", Program,
            port => ["-f", "-x", config, "-p", $"inet:{port}@127.0.0.1"], StartWait);
    }

    /// <summary>opendkim-genkey's zone-file line <c>sel._domainkey IN TXT ( "v=DKIM1; ..." "p=..." )</c> as one TXT value.</summary>
    internal static string JoinTxt(string zoneLine) =>
        string.Concat(QuotedString().Matches(zoneLine).Select(m => m.Groups[1].Value));

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex QuotedString();

    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }
}
