using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Postern.EndToEnd.Fixtures.Dnssec;

/// <summary>
/// A private nsd (the Debian package) serving the test's zones on a free loopback port, UDP and
/// TCP: its own configuration, pid file and state under the zones' directory, no privilege drop
/// and no chroot, started in the foreground (<c>-d</c>) and stopped by its PID (SIGTERM; nsd's
/// main process stops its own children). The system's nsd is neither used nor touched.
/// </summary>
public sealed class NsdServer : IAsyncDisposable
{
    private const string Nsd = "/usr/sbin/nsd";
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Process _process;

    private NsdServer(string configFile, int port)
    {
        Port = port;
        _process = new Process
        {
            StartInfo = new ProcessStartInfo(Nsd, ["-d", "-c", configFile])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            },
            EnableRaisingEvents = true,
        };
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _started.TrySetResult();
    }

    public int Port { get; }

    /// <summary>nsd's address as unbound's <c>stub-addr</c> takes it.</summary>
    public string StubAddress => "127.0.0.1@" + Port.ToString(CultureInfo.InvariantCulture);

    public string Log => string.Join('\n', _output);

    /// <summary>
    /// Starts nsd serving <paramref name="zones"/> from <paramref name="directory"/>. When it exits
    /// at start (the port was taken between the check and nsd's bind), it starts again on another
    /// port, three times at most.
    /// </summary>
    public static async Task<NsdServer> StartAsync(string directory, IReadOnlyList<SignedZone> zones)
    {
        if (!File.Exists(Nsd))
        {
            throw new InvalidOperationException($"{Nsd} is missing: install the Debian package nsd (./test.sh does)");
        }
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPorts.FreeUdpAndTcp();
            var configFile = Path.Combine(directory, "nsd.conf");
            await File.WriteAllTextAsync(configFile, Config(directory, port, zones));
            var server = new NsdServer(configFile, port);
            server._process.Start();
            server._process.BeginErrorReadLine();
            server._process.BeginOutputReadLine();
            var ready = await Task.WhenAny(server._started.Task, Task.Delay(StartWait)) == server._started.Task;
            if (ready && !server._process.HasExited)
            {
                return server;
            }
            var log = server.Log;
            await server.DisposeAsync();
            if (!ready || attempt == 3)
            {
                throw new InvalidOperationException($"nsd did not start on 127.0.0.1@{port}:\n{log}");
            }
        }
    }

    private static string Config(string directory, int port, IReadOnlyList<SignedZone> zones)
    {
        var config = new StringBuilder()
            .Append("server:\n")
            .Append(CultureInfo.InvariantCulture, $"  ip-address: 127.0.0.1@{port}\n  do-ip6: no\n")
            .Append("  username: \"\"\n  chroot: \"\"\n  database: \"\"\n")
            .Append(CultureInfo.InvariantCulture, $"  zonesdir: \"{directory}\"\n  pidfile: \"{directory}/nsd.pid\"\n")
            .Append(CultureInfo.InvariantCulture, $"  xfrdfile: \"{directory}/xfrd.state\"\n  zonelistfile: \"{directory}/zone.list\"\n")
            .Append("  server-count: 1\n  verbosity: 1\n  hide-version: yes\n")
            .Append("remote-control:\n  control-enable: no\n");
        foreach (var zone in zones)
        {
            config.Append(CultureInfo.InvariantCulture, $"zone:\n  name: \"{zone.Origin}\"\n  zonefile: \"{zone.File}\"\n");
        }
        return config.ToString();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        // Logged once every zone is read and the server processes answer.
        if (line.Contains("nsd started", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            using var wait = new CancellationTokenSource(StopWait);
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }
}
