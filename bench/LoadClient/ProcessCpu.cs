using System.Globalization;
using System.Runtime.InteropServices;

namespace Postern.Bench;

/// <summary>
/// CPU time from /proc/PID/stat: a process's own (user + system) plus that of its children it has
/// reaped, plus its live descendants' (Postfix runs a process per session under its master).
/// </summary>
internal static partial class ProcessCpu
{
    private const int ScClkTck = 2;
    private static readonly double TicksPerSecond = Math.Max(1, SysConf(ScClkTck));

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);

    /// <summary>Seconds of CPU the processes and all their descendants have used so far.</summary>
    public static double TreeSeconds(IReadOnlyList<int> roots)
    {
        if (roots.Count == 0)
        {
            return 0;
        }
        var stats = new Dictionary<int, (int Parent, long Own, long Reaped)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Read(pid) is { } stat)
            {
                stats[pid] = stat;
            }
        }
        var children = stats.ToLookup(s => s.Value.Parent, s => s.Key);
        long ticks = 0;
        var pending = new Stack<int>(roots);
        var seen = new HashSet<int>();
        while (pending.Count > 0)
        {
            var pid = pending.Pop();
            if (!seen.Add(pid) || !stats.TryGetValue(pid, out var stat))
            {
                continue;
            }
            // Reaped holds only children that no longer exist, so no time is counted twice.
            ticks += stat.Own + stat.Reaped;
            foreach (var child in children[pid])
            {
                pending.Push(child);
            }
        }
        return ticks / TicksPerSecond;
    }

    /// <summary>This process's CPU seconds.</summary>
    public static double SelfSeconds() => Environment.ProcessId is var pid && Read(pid) is { } stat ? (stat.Own + stat.Reaped) / TicksPerSecond : 0;

    private static (int Parent, long Own, long Reaped)? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null; // exited meanwhile
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses; the fields follow the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        // After comm: [0] state, [1] ppid, ... [11] utime, [12] stime, [13] cutime, [14] cstime.
        long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
        return ((int)Field(1), Field(11) + Field(12), Field(13) + Field(14));
    }
}
