using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// A private unbound (the Debian package) on a free loopback port: its own configuration and
/// directory, started in the foreground and stopped by its PID. The system's resolver is neither
/// used nor touched. Two ways: <see cref="StartAsync"/> answers from local data (no recursion,
/// every other name is NXDOMAIN); <see cref="StartValidatingAsync"/> is a validating resolver for
/// one signed zone served by a private nsd (Fixtures/Dnssec), as DANE needs one.
/// </summary>
public sealed class UnboundServer : IAsyncDisposable
{
    private const string Unbound = "/usr/sbin/unbound";
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private UnboundServer(string directory, int port, string config)
    {
        _directory = directory;
        Port = port;
        File.WriteAllText(Path.Combine(directory, "unbound.conf"), config);
        _process = new Process
        {
            StartInfo = new ProcessStartInfo(Unbound, ["-d", "-c", Path.Combine(directory, "unbound.conf")])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            },
        };
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
    }

    public int Port { get; }

    /// <summary>The value for <c>delivery.dns_servers</c>.</summary>
    public string Address => "127.0.0.1:" + Port;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts unbound serving <paramref name="records"/> (zone-file lines, e.g. <c>example.org. TXT "v=spf1 -all"</c>).</summary>
    public static async Task<UnboundServer> StartAsync(params string[] records)
    {
        var directory = NewDirectory();
        var port = LoopbackPorts.FreeUdpAndTcp();
        var config = new StringBuilder()
            .Append(ServerBlock(directory, port))
            .Append("  module-config: \"iterator\"\n")
            // No recursion: the test zone or NXDOMAIN.
            .Append("  local-zone: \".\" static\n");
        foreach (var record in records)
        {
            config.Append("  local-data: '").Append(record).Append("'\n");
        }
        config.Append("remote-control:\n  control-enable: no\n");
        return await LaunchAsync(new UnboundServer(directory, port, config.ToString()));
    }

    /// <summary>
    /// Starts unbound validating DNSSEC for <paramref name="zone"/> (and its children) with the
    /// trust anchor in <paramref name="trustAnchorFile"/> (the KSK's DNSKEY record), asking the
    /// authoritative server at <paramref name="stubAddress"/> (<c>127.0.0.1@PORT</c>, unbound's
    /// stub-addr syntax) for it. Validation is strict: <c>val-permissive-mode: no</c>, no
    /// <c>domain-insecure</c>; bogus answers are SERVFAIL. Every other name is NXDOMAIN (no
    /// recursion to the Internet). <paramref name="alsoListenOn"/> (<c>127.x.y.z@53</c>) is a
    /// second interface, for a client that can only ask port 53 (libc's resolv.conf).
    /// </summary>
    public static async Task<UnboundServer> StartValidatingAsync(string trustAnchorFile, string zone, string stubAddress, string? alsoListenOn = null)
    {
        var directory = NewDirectory();
        var port = LoopbackPorts.FreeUdpAndTcp();
        var config = new StringBuilder()
            .Append(ServerBlock(directory, port));
        if (alsoListenOn is not null)
        {
            config.Append(CultureInfo.InvariantCulture, $"  interface: {alsoListenOn}\n");
        }
        config
            .Append("  module-config: \"validator iterator\"\n")
            .Append(CultureInfo.InvariantCulture, $"  trust-anchor-file: \"{trustAnchorFile}\"\n")
            .Append("  val-permissive-mode: no\n  val-log-level: 2\n")
            // nsd is on loopback; unbound refuses to ask loopback addresses unless told.
            .Append("  do-not-query-localhost: no\n")
            .Append("  qname-minimisation: no\n")
            // "test." is one of unbound's default static zones: the zone is made transparent
            // (resolved through its stub), everything else answered NXDOMAIN locally.
            .Append("  local-zone: \".\" static\n")
            .Append(CultureInfo.InvariantCulture, $"  local-zone: \"{zone}.\" transparent\n")
            .Append(CultureInfo.InvariantCulture, $"stub-zone:\n  name: \"{zone}\"\n  stub-addr: {stubAddress}\n")
            .Append("remote-control:\n  control-enable: no\n");
        return await LaunchAsync(new UnboundServer(directory, port, config.ToString()));
    }

    private static string NewDirectory()
    {
        if (!File.Exists(Unbound))
        {
            throw new InvalidOperationException($"{Unbound} is missing: install the Debian package unbound (./test.sh does)");
        }
        var directory = Path.Combine(Path.GetTempPath(), "postern-e2e-unbound-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static string ServerBlock(string directory, int port) => new StringBuilder()
        .Append("server:\n")
        .Append(CultureInfo.InvariantCulture, $"  interface: 127.0.0.1@{port}\n  port: {port}\n  do-ip6: no\n")
        .Append("  access-control: 127.0.0.0/8 allow\n")
        .Append("  do-daemonize: no\n  use-syslog: no\n  logfile: \"\"\n  verbosity: 1\n")
        .Append(CultureInfo.InvariantCulture, $"  username: \"\"\n  chroot: \"\"\n  directory: \"{directory}\"\n  pidfile: \"{directory}/unbound.pid\"\n")
        .Append("  num-threads: 1\n")
        .ToString();

    private static async Task<UnboundServer> LaunchAsync(UnboundServer server)
    {
        server._process.Start();
        server._process.BeginErrorReadLine();
        server._process.BeginOutputReadLine();
        try
        {
            await server._started.Task.WaitAsync(StartWait);
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            throw new TimeoutException("unbound did not start; its log:\n" + server.Log);
        }
        return server;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
        if (line.Contains("start of service", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
