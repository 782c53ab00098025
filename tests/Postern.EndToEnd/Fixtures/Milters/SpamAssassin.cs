namespace Postern.EndToEnd.Fixtures.Milters;

/// <summary>
/// SpamAssassin as a milter: a private spamd (Debian's spamd) on a free loopback port, with its
/// own site configuration (the system's .pre files, no network tests, no Bayes) and helper home in
/// a temp directory, running as nobody; and spamass-milter in front of it (-r: a score of
/// <see cref="RejectScore"/> or more is refused with a 5xx), talking to that spamd through spamc.
/// Both run in the foreground and are stopped by their PIDs. The GTUBE string scores 1000.
/// </summary>
public sealed class SpamAssassin : IAsyncDisposable
{
    /// <summary>SpamAssassin's Generic Test for Unsolicited Bulk Email: any message with it scores 1000.</summary>
    public const string Gtube = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    public const int RejectScore = 15;

    private const string Spamd = "/usr/sbin/spamd";
    private const string Milter = "/usr/sbin/spamass-milter";
    // spamd compiles its rules at start: a few seconds here, more on a loaded machine.
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(90);
    private readonly string _directory;
    private ForegroundDaemon? _spamd;
    private ForegroundDaemon _milter = null!;

    private SpamAssassin(string directory) => _directory = directory;

    /// <summary>spamass-milter, the milter the MTA talks to.</summary>
    public ForegroundDaemon Daemon => _milter;

    /// <summary>spamd's log (stderr) and spamass-milter's output, for assertion messages.</summary>
    public string Log => $"spamd:\n{_spamd?.Output}\nspamass-milter:\n{_milter?.Output}";

    public static async Task<SpamAssassin> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "postern-spamassassin-" + Guid.NewGuid().ToString("N")[..12]);
        var site = Path.Combine(directory, "site");
        var home = Path.Combine(directory, "home");
        Directory.CreateDirectory(site);
        Directory.CreateDirectory(home);
        var instance = new SpamAssassin(directory);
        try
        {
            // The plugins are loaded by the .pre files of the site configuration directory: the system's, copied.
            foreach (var pre in Directory.GetFiles("/etc/spamassassin", "*.pre"))
            {
                File.Copy(pre, Path.Combine(site, Path.GetFileName(pre)));
            }
            await File.WriteAllTextAsync(Path.Combine(site, "local.cf"), """
                required_score 5.0
                use_bayes 0
                bayes_auto_learn 0
                skip_rbl_checks 1
                dns_available no

                """);
            // spamd's children run as nobody: they read the configuration, the temp directory's parent must let them in.
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
            instance._spamd = await ForegroundDaemon.StartAsync("spamd", Spamd, port =>
            [
                $"--listen=127.0.0.1:{port}", "--allowed-ips=127.0.0.1", "--username=nobody", "--nouser-config",
                $"--siteconfigpath={site}", $"--helper-home-dir={home}", $"--pidfile={directory}/spamd.pid",
                "--syslog=stderr", "--min-children=1", "--max-children=2", "--local",
            ], StartWait);
            var spamdPort = instance._spamd.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            instance._milter = await ForegroundDaemon.StartAsync("spamass-milter", Milter, port =>
            [
                "-p", $"inet:{port}@127.0.0.1", "-P", $"{directory}/spamass-milter.pid",
                "-r", RejectScore.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--", "-d", "127.0.0.1", "-p", spamdPort,
            ], StartWait);
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
        if (_milter is not null)
        {
            await _milter.DisposeAsync();
        }
        if (_spamd is not null)
        {
            await _spamd.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }
}
