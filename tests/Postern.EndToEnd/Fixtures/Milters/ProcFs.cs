using System.Globalization;

namespace Postern.EndToEnd.Fixtures.Milters;

/// <summary>What /proc says about a process: whether it holds a listening socket.</summary>
internal static class ProcFs
{
    private const string TcpListen = "0A";

    /// <summary>
    /// Whether <paramref name="pid"/> itself holds the socket listening on 127.0.0.1:<paramref name="port"/>
    /// (/proc/net/tcp gives the socket's inode, /proc/PID/fd the process's sockets).
    /// </summary>
    public static bool IsListening(int pid, int port)
    {
        var local = "0100007F:" + port.ToString("X4", CultureInfo.InvariantCulture);
        string? inode = null;
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 9 && fields[1] == local && fields[3] == TcpListen)
            {
                inode = fields[9];
                break;
            }
        }
        if (inode is null)
        {
            return false;
        }
        var socket = $"socket:[{inode}]";
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/fd")
                .Any(fd => new FileInfo(fd).LinkTarget == socket);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
