using System.Globalization;
using System.Runtime.InteropServices;

namespace Postern.Tools.Daemon;

/// <summary>
/// <c>&lt;data_dir&gt;/postern.pid</c>: written by <c>postern serve</c>, removed on a clean exit, read by
/// the queue commands to signal the daemon (SIGUSR1: rescan the queue and take flush requests).
/// </summary>
public static class PidFile
{
    /// <summary>SIGUSR1 on Linux (the only platform Postern runs on).</summary>
    public const int UserSignal1 = 10;

    public const string FileName = "postern.pid";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>Writes this process's id (temp file + rename: a reader never sees half a pid).</summary>
    /// <exception cref="IOException">The file could not be written (a full disk); no temp file is left behind.</exception>
    public static void Write(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        var temp = path + ".tmp";
        try
        {
            File.WriteAllText(temp, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            File.Move(temp, path, overwrite: true);
        }
        catch (IOException)
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Removes the pid file if it is still ours (a second daemon may have replaced it).</summary>
    public static void Remove(string dataDirectory)
    {
        if (TryReadPid(PathIn(dataDirectory)) == Environment.ProcessId)
        {
            File.Delete(PathIn(dataDirectory));
        }
    }

    /// <summary>The running daemon's pid, or null with <paramref name="problem"/> saying why there is none.</summary>
    public static int? FindDaemon(string dataDirectory, out string problem)
    {
        var path = PathIn(dataDirectory);
        if (!File.Exists(path))
        {
            problem = $"no pid file {path}";
            return null;
        }
        if (TryReadPid(path) is not { } pid)
        {
            problem = $"stale pid file {path}: no process id in it";
            return null;
        }
        if (!IsPostern(pid))
        {
            problem = $"stale pid file {path}: process {pid.ToString(CultureInfo.InvariantCulture)} is not running";
            return null;
        }
        problem = "";
        return pid;
    }

    /// <summary>SIGHUP: reload certificates, maps and aliases.</summary>
    public const int Hangup = 1;

    private const int NotPermitted = 1;

    /// <summary>Sends SIGUSR1; false when the process is gone (or not ours to signal).</summary>
    public static bool Signal(int pid) => Kill(pid, UserSignal1) == 0;

    /// <summary>Sends <paramref name="signal"/>; false when the process is gone (or not ours to signal).</summary>
    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    private static int? TryReadPid(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Alive, and (where /proc tells) a postern process, not an unrelated one that reused the pid.</summary>
    private static bool IsPostern(int pid)
    {
        // EPERM: alive, but another user's (the service user's, seen from a local submitter).
        if (Kill(pid, 0) != 0 && Marshal.GetLastPInvokeError() != NotPermitted)
        {
            return false;
        }
        var cmdline = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline";
        try
        {
            if (!File.Exists(cmdline))
            {
                return true;
            }
            var text = File.ReadAllText(cmdline);
            // `sendmail -bd` (a symlink to postern) is the daemon too.
            return text.Contains("postern", StringComparison.OrdinalIgnoreCase)
                || Sendmail.Personality.FromName(text.Split('\0')[0]) is not null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    // Blittable arguments only: a plain DllImport needs no generated marshalling (and no unsafe code).
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
