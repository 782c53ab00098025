using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// The real `postern` binary on loopback ports chosen by the OS (port 0), with its own data
/// directory. Ports are read back from the "listening on" lines of the mail log.
/// </summary>
public sealed partial class PosternProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);
    private readonly ConcurrentQueue<string> _log = new();
    private readonly Dictionary<string, IPEndPoint> _endPoints = [];
    private readonly Process _process;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _expectedListeners;

    private PosternProcess(string dataDir, string? configPath, int expectedListeners, string? binary = null, string? launcher = null)
    {
        DataDir = dataDir;
        ConfigPath = configPath;
        _expectedListeners = expectedListeners;
        var startInfo = configPath is null
            ? Binary.StartInfoFor(binary ?? Binary.Path, "serve", "--data-dir", dataDir)
            : Binary.StartInfoFor(binary ?? Binary.Path, "serve", "--config", configPath, "--data-dir", dataDir);
        if (launcher is not null)
        {
            // The launcher execs the binary (nohup), so the process id stays the daemon's.
            startInfo.ArgumentList.Insert(0, startInfo.FileName);
            startInfo.FileName = launcher;
        }
        _process = new Process { StartInfo = startInfo };
        _process.ErrorDataReceived += (_, e) => OnLogLine(e.Data);
        _process.OutputDataReceived += (_, e) => OnLogLine(e.Data);
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) =>
        {
            // Exited can fire before the last stderr lines reach OnLogLine; WaitForExit() drains them.
            _process.WaitForExit();
            _started.TrySetException(new InvalidOperationException("postern exited during start:\n" + Log));
        };
    }

    public string DataDir { get; }

    /// <summary>The configuration file, or null for the embedded default.</summary>
    public string? ConfigPath { get; }

    public string Log => string.Join('\n', _log);

    public IPEndPoint Mta => _endPoints["mta"];

    public IPEndPoint Msa => _endPoints["msa"];

    public IPEndPoint EndPoint(string listener) => _endPoints[listener];

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>A config with an "mta" and an "msa" listener on free loopback ports, plus extra TOML.</summary>
    public static string Config(string extra = "") =>
        PosternConfig.Host("localhost")
            .WithListener("mta", "mta")
            .WithListener("msa", "msa")
            .WithLocal(["localhost"], ["user", "alice", "bob"])
            .ToToml() + extra;

    public static string NewDataDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "postern-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Starts `postern serve`; <paramref name="binary"/> is another build (a published one) instead of the tests' own.</summary>
    public static async Task<PosternProcess> StartAsync(string? config = null, string? dataDir = null, int listeners = 2, string? binary = null)
    {
        dataDir ??= NewDataDir();
        var configPath = Path.Combine(dataDir, "postern.toml");
        if (config is not null || !File.Exists(configPath))
        {
            await File.WriteAllTextAsync(configPath, config ?? Config());
        }
        return await LaunchAsync(new PosternProcess(dataDir, configPath, listeners, binary));
    }

    /// <summary>Starts `postern serve` under `nohup`: SIGHUP is ignored when the daemon starts, as an administrator's `nohup postern serve &amp;` has it.</summary>
    public static async Task<PosternProcess> StartUnderNohupAsync(string config, string dataDir, int listeners = 2)
    {
        var configPath = Path.Combine(dataDir, "postern.toml");
        await File.WriteAllTextAsync(configPath, config);
        return await LaunchAsync(new PosternProcess(dataDir, configPath, listeners, launcher: "nohup"));
    }

    /// <summary>Starts `postern serve` with no configuration file: the embedded default, on its fixed ports.</summary>
    public static async Task<PosternProcess> StartEmbeddedDefaultAsync(string dataDir) =>
        await LaunchAsync(new PosternProcess(dataDir, null, expectedListeners: 3));

    private static async Task<PosternProcess> LaunchAsync(PosternProcess server)
    {
        server._process.Start();
        server._process.BeginErrorReadLine();
        server._process.BeginOutputReadLine();
        await server._started.Task.WaitAsync(StartWait);
        return server;
    }

    /// <summary>Waits until a log line matches, or fails with the log so far.</summary>
    public async Task<string> WaitForLogAsync(Func<string, bool> match, TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var line = _log.FirstOrDefault(match);
            if (line is not null)
            {
                return line;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("no such log line; log:\n" + Log);
    }

    public string MaildirNew(string user) => Path.Combine(DataDir, "mailboxes", user, "new");

    /// <summary>Waits until <paramref name="user"/>'s Maildir holds a message containing <paramref name="token"/>.</summary>
    public async Task<string> WaitForMailAsync(string user, string token, TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            foreach (var file in Directory.Exists(MaildirNew(user)) ? Directory.GetFiles(MaildirNew(user)) : [])
            {
                var text = await File.ReadAllTextAsync(file);
                if (text.Contains(token, StringComparison.Ordinal))
                {
                    return text;
                }
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"no mail with {token} for {user}; log:\n{Log}");
    }

    /// <summary>SIGTERM, as a service manager stops it.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>SIGHUP: reload the maps, aliases and certificates.</summary>
    public void Hangup() => Signal("HUP");

    /// <summary>SIGKILL: no chance to clean up.</summary>
    public void Kill() => Signal("KILL");

    public async Task<bool> WaitForExitAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private void OnLogLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        _log.Enqueue(line);
        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            lock (_endPoints)
            {
                _endPoints[match.Groups["name"].Value] = IPEndPoint.Parse(match.Groups["ep"].Value);
                if (_endPoints.Count == _expectedListeners)
                {
                    _started.TrySetResult();
                }
            }
        }
    }

    [GeneratedRegex(@"listening on (?<ep>\S+) \(listener=(?<name>[^,]+),")]
    private static partial Regex ListeningLine();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
    }
}
