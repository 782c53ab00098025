namespace Postern.Core.IO;

/// <summary>
/// Replaces a small state file so that after a crash either the old or the new content is there,
/// never a torn one: written to a temporary file (mode 0600) in the same directory, fsynced,
/// renamed over the target, then the directory fsynced so the rename itself survives.
/// </summary>
public static class DurableFile
{
    /// <param name="path">The file to replace.</param>
    /// <param name="temporaryPath">A path in the same directory that nothing else writes at the same time.</param>
    /// <param name="content">The new content.</param>
    /// <exception cref="IOException">Writing, renaming or syncing failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable.</exception>
    public static void Replace(string path, string temporaryPath, ReadOnlySpan<byte> content) =>
        Replace(path, temporaryPath, content, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    /// <param name="path">The file to replace.</param>
    /// <param name="temporaryPath">A path in the same directory that nothing else writes at the same time.</param>
    /// <param name="content">The new content.</param>
    /// <param name="mode">The new file's mode (a map others may read keeps its 0644).</param>
    /// <exception cref="IOException">Writing, renaming or syncing failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable.</exception>
    public static void Replace(string path, string temporaryPath, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(temporaryPath);
        // A temporary file left by a crash is removed first, so the new one is created with our mode.
        File.Delete(temporaryPath);
        try
        {
            using (var file = new FileStream(temporaryPath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = mode,
            }))
            {
                file.Write(content);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporaryPath, path, overwrite: true);
        }
        catch
        {
            // A full disk must not leave a half-written temporary file beside the target.
            File.Delete(temporaryPath);
            throw;
        }
        DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
