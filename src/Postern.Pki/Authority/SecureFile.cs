using Postern.Core.IO;

namespace Postern.Pki.Authority;

/// <summary>
/// Writes a file atomically with its final mode from the first byte: a unique temporary file
/// created with that mode (never world-readable, even briefly, for keys), fsynced, renamed over
/// the target, and the directory fsynced. A crash leaves the old file or the new, never half.
/// </summary>
public static class SecureFile
{
    /// <summary>rw------- for private keys, PKCS#12 bundles and the CA's bookkeeping.</summary>
    public const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rw-r--r-- for certificates, which are public.</summary>
    public const UnixFileMode PublicMode = PrivateMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>rwx------ for directories holding keys.</summary>
    public const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <exception cref="IOException">Writing, syncing or renaming failed (the message names the file).</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable.</exception>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? ".";
        var temporary = Path.Combine(directory, "." + Path.GetFileName(full) + ".tmp-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = mode,
            }))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            // The umask may have taken bits away; never added any. Set exactly what was asked.
            File.SetUnixFileMode(temporary, mode);
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
        DirectorySync.Flush(directory);
    }

    public static void Write(string path, string content, UnixFileMode mode) =>
        Write(path, System.Text.Encoding.UTF8.GetBytes(content), mode);

    /// <summary>Creates <paramref name="directory"/> (and parents) with <paramref name="mode"/> when missing.</summary>
    public static void EnsureDirectory(string directory, UnixFileMode mode)
    {
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, mode);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the original error is the one worth reporting.
        }
    }
}
