namespace Postern.EndToEnd.Fixtures.Milters;

/// <summary>
/// actions_milter.py (next to this file, copied beside the tests) on Debian's python3-milter, on a
/// free loopback port: a real libmilter filter that takes each action the message asks for in its
/// X-Test-Action headers and reports every callback, with its arguments and the macros it saw, to
/// a JSON-lines file the tests read (<see cref="Reports"/>).
/// </summary>
public sealed class ActionsMilter : IAsyncDisposable
{
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);
    private readonly string _directory;
    private ForegroundDaemon _daemon = null!;

    private ActionsMilter(string directory) => _directory = directory;

    public ForegroundDaemon Daemon => _daemon;

    private string ReportFile => Path.Combine(_directory, "report.jsonl");

    /// <summary>Starts one on a free port, or on <paramref name="port"/> (one attempt).</summary>
    public static async Task<ActionsMilter> StartAsync(int? port = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "postern-pymilter-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var instance = new ActionsMilter(directory);
        var script = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Milters", "actions_milter.py");
        try
        {
            // Debian's python3-milter is a module of Debian's python, not of the python3 first on PATH.
            instance._daemon = await ForegroundDaemon.StartAsync("actions_milter.py", "/usr/bin/python3",
                p => [script, "--socket", $"inet:{p}@127.0.0.1", "--report", instance.ReportFile], StartWait, port);
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every callback reported so far.</summary>
    public IReadOnlyList<MilterCallback> Reports()
    {
        if (!File.Exists(ReportFile))
        {
            return [];
        }
        using var stream = new FileStream(ReportFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var reports = new List<MilterCallback>();
        while (reader.ReadLine() is { } line)
        {
            // The milter flushes whole lines; a line still being written is left for the next read.
            if (line.EndsWith('}'))
            {
                reports.Add(MilterCallback.Parse(line));
            }
        }
        return reports;
    }

    /// <summary>Waits until a callback of <paramref name="stage"/> matching <paramref name="match"/> was reported.</summary>
    public async Task<MilterCallback> WaitForAsync(string stage, Func<MilterCallback, bool> match, TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var found = Reports().FirstOrDefault(r => r.Stage == stage && match(r));
            if (found is not null)
            {
                return found;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the milter reported no matching {stage}; reports:\n{string.Join('\n', Reports())}\n{_daemon.Output}");
            }
            await Task.Delay(50);
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
