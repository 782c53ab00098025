using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// A private unbound (the Debian package) answering for a test zone on a free loopback port: its
/// own configuration and directory, no recursion (every other name is NXDOMAIN), started in the
/// foreground and stopped by its PID. The system's resolver is neither used nor touched.
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
        if (!File.Exists(Unbound))
        {
            throw new InvalidOperationException($"{Unbound} is missing: install the Debian package unbound (./test.sh does)");
        }
        var directory = Path.Combine(Path.GetTempPath(), "postern-e2e-unbound-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var port = FreePort();
        var config = new StringBuilder()
            .Append("server:\n")
            .Append($"  interface: 127.0.0.1\n  port: {port}\n  do-ip6: no\n")
            .Append("  access-control: 127.0.0.0/8 allow\n")
            .Append("  do-daemonize: no\n  use-syslog: no\n  logfile: \"\"\n  verbosity: 1\n")
            .Append($"  username: \"\"\n  chroot: \"\"\n  directory: \"{directory}\"\n  pidfile: \"{directory}/unbound.pid\"\n")
            .Append("  module-config: \"iterator\"\n  num-threads: 1\n")
            // No recursion: the test zone or NXDOMAIN.
            .Append("  local-zone: \".\" static\n");
        foreach (var record in records)
        {
            config.Append("  local-data: '").Append(record).Append("'\n");
        }
        config.Append("remote-control:\n  control-enable: no\n");
        var server = new UnboundServer(directory, port, config.ToString());
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

    // A port free for both UDP and TCP on loopback at the time of asking.
    private static int FreePort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for TCP: try another.
            }
        }
        throw new InvalidOperationException("no free loopback port for unbound");
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
