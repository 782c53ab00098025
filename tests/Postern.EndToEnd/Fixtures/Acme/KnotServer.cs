using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Postern.EndToEnd.Fixtures.Acme;

/// <summary>
/// A private knotd (Debian's knot) as the primary of one test zone that takes RFC 2136 updates
/// signed with a TSIG key made for the test: its own configuration, zone file, journal, control
/// socket and pid file under the given directory, on a free UDP+TCP port of a random 127.x
/// address (knotd binds UDP with SO_REUSEPORT, so a port alone could be shared by two servers),
/// started in the foreground and stopped by its PID. Every name in the zone resolves to
/// 127.0.0.1 (a wildcard A record), so it can serve as pebble's DNS server as well. The system's
/// knot is neither used nor touched. Self-contained (the unit tier compiles it in too).
/// </summary>
public sealed class KnotServer : IAsyncDisposable
{
    public const string Knotd = "/usr/sbin/knotd";
    public const string KeyName = "postern-acme.";
    public const string KeyAlgorithm = "hmac-sha256";

    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _zoneLoaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Process _process;
    private bool _ownsDirectory;
    private bool _disposed;

    private KnotServer(string directory, string zone, IPEndPoint endPoint, string secret, string configFile)
    {
        Directory = directory;
        Zone = zone;
        EndPoint = endPoint;
        Secret = secret;
        TsigKeyFile = Path.Combine(directory, "acme.tsig");
        _process = new Process
        {
            StartInfo = new ProcessStartInfo(Knotd, ["-c", configFile])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            },
            EnableRaisingEvents = true,
        };
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) =>
        {
            _started.TrySetResult();
            _zoneLoaded.TrySetResult();
        };
    }

    public string Directory { get; }

    /// <summary>The zone (no trailing dot), e.g. "acme.test".</summary>
    public string Zone { get; }

    /// <summary>Where knotd listens, UDP and TCP: <c>acme.dns_update_server</c> and pebble's <c>-dnsserver</c>.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary><see cref="EndPoint"/> as "ADDRESS:PORT".</summary>
    public string Address => EndPoint.ToString();

    /// <summary>The TSIG key's secret, base64.</summary>
    public string Secret { get; }

    /// <summary>The key in BIND's tsig-keygen format: <c>acme.dns_tsig_key_file</c>.</summary>
    public string TsigKeyFile { get; }

    /// <summary>The key as knsupdate -y takes it (and as the one-line form of the key file).</summary>
    public string TsigKeyLine => $"{KeyAlgorithm}:{KeyName}:{Secret}";

    public string Log => string.Join('\n', _output);

    /// <summary>
    /// Starts knotd for <paramref name="zone"/> in <paramref name="directory"/> (created if
    /// missing; null: a new temporary directory, deleted at dispose). When it exits at start (its
    /// port was taken between the check and its bind), it starts again on another address and
    /// port, three times at most.
    /// </summary>
    public static async Task<KnotServer> StartAsync(string? directory = null, string zone = "acme.test")
    {
        var ownsDirectory = directory is null;
        directory ??= Path.Combine(Path.GetTempPath(), "postern-knot-" + Guid.NewGuid().ToString("N")[..12]);
        if (!File.Exists(Knotd))
        {
            throw new InvalidOperationException($"{Knotd} is missing: install the Debian package knot (./test.sh does)");
        }
        System.IO.Directory.CreateDirectory(directory);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "db"));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await File.WriteAllTextAsync(Path.Combine(directory, "acme.tsig"), $"key \"{KeyName}\" {{\n\talgorithm {KeyAlgorithm};\n\tsecret \"{secret}\";\n}};\n");
        await File.WriteAllTextAsync(Path.Combine(directory, zone + ".zone"), ZoneFile(zone));
        for (var attempt = 1; ; attempt++)
        {
            var endPoint = FreeEndPoint();
            var configFile = Path.Combine(directory, "knot.conf");
            await File.WriteAllTextAsync(configFile, Config(directory, zone, endPoint, secret));
            var server = new KnotServer(directory, zone, endPoint, secret, configFile);
            server._process.Start();
            server._process.BeginErrorReadLine();
            server._process.BeginOutputReadLine();
            var both = Task.WhenAll(server._started.Task, server._zoneLoaded.Task);
            var ready = await Task.WhenAny(both, Task.Delay(StartWait)) == both;
            if (ready && !server._process.HasExited)
            {
                server._ownsDirectory = ownsDirectory;
                return server;
            }
            var log = server.Log;
            await server.DisposeAsync();
            if (!ready || attempt == 3)
            {
                if (ownsDirectory)
                {
                    System.IO.Directory.Delete(directory, recursive: true);
                }
                throw new InvalidOperationException($"knotd did not start on {endPoint}:\n{log}");
            }
        }
    }

    /// <summary>The TXT values knotd serves at <paramref name="name"/> (kdig, no recursion).</summary>
    public async Task<IReadOnlyList<string>> TxtAsync(string name)
    {
        var (code, output) = await RunAsync("/usr/bin/kdig", "@" + EndPoint.Address, "-p", EndPoint.Port.ToString(CultureInfo.InvariantCulture), "+norecurse", "+short", "+time=3", "+retry=1", "TXT", name);
        if (code != 0)
        {
            throw new InvalidOperationException("kdig failed:\n" + output);
        }
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => line.Trim('"'))];
    }

    /// <summary>Sends <paramref name="commands"/> (knsupdate's language, "send" included) signed with <paramref name="keyLine"/> (default: the zone's key).</summary>
    public Task<(int Code, string Output)> UpdateAsync(string commands, string? keyLine = null) =>
        RunAsync("/usr/bin/knsupdate", ["-t", "5", "-r", "0", "-y", keyLine ?? TsigKeyLine], $"server {EndPoint.Address} {EndPoint.Port}\nzone {Zone}.\n{commands}\n");

    private static string ZoneFile(string zone) =>
        $"$ORIGIN {zone}.\n$TTL 60\n@ SOA ns.{zone}. hostmaster.{zone}. 1 3600 600 86400 60\n@ NS ns\n@ A 127.0.0.1\n* A 127.0.0.1\n";

    private static string Config(string directory, string zone, IPEndPoint endPoint, string secret) =>
        new StringBuilder()
            .Append("server:\n")
            .Append(CultureInfo.InvariantCulture, $"    rundir: \"{directory}\"\n    pidfile: \"{directory}/knot.pid\"\n")
            .Append(CultureInfo.InvariantCulture, $"    listen: {endPoint.Address}@{endPoint.Port}\n")
            .Append("    udp-workers: 1\n    tcp-workers: 1\n    background-workers: 1\n")
            .Append(CultureInfo.InvariantCulture, $"database:\n    storage: \"{directory}/db\"\n")
            .Append(CultureInfo.InvariantCulture, $"key:\n  - id: {KeyName}\n    algorithm: {KeyAlgorithm}\n    secret: {secret}\n")
            .Append(CultureInfo.InvariantCulture, $"acl:\n  - id: acme-update\n    key: {KeyName}\n    action: update\n")
            .Append(CultureInfo.InvariantCulture, $"zone:\n  - domain: {zone}\n    file: \"{directory}/{zone}.zone\"\n    acl: acme-update\n    zonefile-sync: -1\n")
            .Append("log:\n  - target: stderr\n    any: info\n")
            .Append(CultureInfo.InvariantCulture, $"control:\n    listen: \"{directory}/knot.sock\"\n")
            .ToString();

    /// <summary>A random 127.64.0.0/10 address whose port is free for UDP and TCP at the time of asking.</summary>
    private static IPEndPoint FreeEndPoint()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var address = new IPAddress([127, (byte)Random.Shared.Next(64, 128), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(address, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(address, port));
                return new IPEndPoint(address, port);
            }
            catch (SocketException)
            {
                // Taken for TCP: try another.
            }
        }
        throw new InvalidOperationException("no free loopback address and port for UDP and TCP");
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] arguments, string? input = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input ?? "");
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in 30 s");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static Task<(int Code, string Output)> RunAsync(string file, params string[] arguments) => RunAsync(file, arguments, null);

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        if (line.Contains("server started", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
        if (line.Contains($"[{Zone}.] loaded", StringComparison.Ordinal))
        {
            _zoneLoaded.TrySetResult();
        }
    }

    /// <summary>Stops knotd (a test may stop it early to see the server gone; a second call does nothing).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
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
        if (_ownsDirectory)
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
