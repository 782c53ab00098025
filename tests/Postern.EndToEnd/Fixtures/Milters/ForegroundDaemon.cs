using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Postern.EndToEnd.Fixtures.Milters;

/// <summary>
/// One daemon from Debian (opendkim, opendmarc, spamd, spamass-milter, a pymilter script) run in
/// the foreground by a test: its stdout and stderr collected, ready once <em>its own</em> process
/// listens on its loopback port (read from /proc, so another test's process on a reused port never
/// passes for it), stopped by its PID (SIGTERM, then SIGKILL after a short grace).
/// </summary>
public sealed class ForegroundDaemon : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(3);
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Process _process;

    private ForegroundDaemon(string name, Process process, int port)
    {
        Name = name;
        _process = process;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The daemon's socket in sendmail's S= syntax, as Postern's <c>[[milter]] socket</c> takes it.</summary>
    public string SendmailSocket => "inet:" + Port.ToString(CultureInfo.InvariantCulture) + "@127.0.0.1";

    /// <summary>The daemon's socket as Postfix's <c>smtpd_milters</c> takes it.</summary>
    public string PostfixSocket => "inet:127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>What the daemon wrote on stdout and stderr so far.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>A port nothing listens on right now; the daemon may still lose it to another process (see <see cref="StartAsync"/>).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// Starts <paramref name="file"/> with the arguments <paramref name="arguments"/> makes for a
    /// free port, and waits until it listens there. When it exits first (the port was taken between
    /// <see cref="FreePort"/> and its bind), it is started again on another port, three times at most.
    /// With <paramref name="port"/> (a milter coming back where a server expects it) there is one attempt, on that port.
    /// </summary>
    public static async Task<ForegroundDaemon> StartAsync(string name, string file, Func<int, IEnumerable<string>> arguments, TimeSpan wait, int? port = null)
    {
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"{file} is missing: install the Debian packages of ./test.sh's list");
        }
        var attempts = port is null ? 3 : 1;
        for (var attempt = 1; ; attempt++)
        {
            port ??= FreePort();
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments(port.Value))
            {
                info.ArgumentList.Add(argument);
            }
            var daemon = new ForegroundDaemon(name, new Process { StartInfo = info }, port.Value);
            daemon.Launch();
            if (await daemon.WaitListeningAsync(wait))
            {
                return daemon;
            }
            var exited = daemon.HasExited;
            await daemon.DisposeAsync();
            if (!exited || attempt == attempts)
            {
                throw new InvalidOperationException(
                    $"{name} did not listen on 127.0.0.1:{port} within {wait.TotalSeconds} s (exited: {exited}):\n{daemon.Output}");
            }
            port = null;
        }
    }

    private void Launch()
    {
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    /// <summary>True once the process listens on 127.0.0.1:<see cref="Port"/>; false when it exits or the wait ends first.</summary>
    private async Task<bool> WaitListeningAsync(TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            if (ProcFs.IsListening(_process.Id, Port))
            {
                return true;
            }
            await Task.Delay(50);
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal("TERM");
            using var grace = new CancellationTokenSource(StopGrace);
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                // libmilter daemons notice SIGTERM only when their accept loop wakes (seconds): no state worth the wait.
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }

    private void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
