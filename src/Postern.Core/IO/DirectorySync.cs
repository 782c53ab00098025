using System.Runtime.InteropServices;

namespace Postern.Core.IO;

/// <summary>
/// fsync of a directory, so a file created or renamed into it survives a crash or power loss (the
/// spool commit and Maildir delivery both depend on it). .NET cannot open a directory as a file,
/// hence open(2) + fsync(2) + close(2) from libc.
/// </summary>
public static partial class DirectorySync
{
    // O_RDONLY is 0 on every Linux architecture, and a read-only open of a directory is allowed.
    private const int ReadOnly = 0;

    /// <exception cref="IOException">The directory could not be opened or synced.</exception>
    public static void Flush(string directory)
    {
        var fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            throw Error("open", directory);
        }
        try
        {
            if (Fsync(fd) != 0)
            {
                throw Error("fsync", directory);
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static IOException Error(string call, string directory)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} of directory {directory} failed: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
