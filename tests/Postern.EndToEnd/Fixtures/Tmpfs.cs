using System.Globalization;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// A small tmpfs mounted on a fresh directory (needs root, as CI has), to run out of space for
/// real: writes past its size fail with ENOSPC. <see cref="Fill"/> takes every free block with a
/// filler file and <see cref="Free"/> gives them back. Disposing unmounts (lazily, should a
/// process still hold a file open) and removes the directory.
/// </summary>
public sealed class Tmpfs : IAsyncDisposable
{
    private const int ChunkSize = 64 * 1024;

    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    private string FillerPath => System.IO.Path.Combine(Path, "filler");

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MiB; fails with mount's words when it cannot.</summary>
    public static async Task<Tmpfs> MountAsync(int megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "postern-tmpfs-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        var size = "size=" + megabytes.ToString(CultureInfo.InvariantCulture) + "m,mode=0755";
        var (code, output) = await ExternalCommand.RunAsync("mount", "-t", "tmpfs", "-o", size, "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            throw new InvalidOperationException(
                "these tests need a real full filesystem: mounting a tmpfs failed (run them as root, as CI does):\n" + output);
        }
        return new Tmpfs(path);
    }

    /// <summary>Writes the filler until the filesystem refuses (ENOSPC); returns the bytes it took.</summary>
    public long Fill()
    {
        var chunk = new byte[ChunkSize];
        long written = 0;
        using var file = new FileStream(FillerPath, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            // Bounded: a tmpfs of N MiB holds at most N MiB; the bound only guards against a mount that is not one.
            for (var i = 0; i < 64 * 1024; i++)
            {
                file.Write(chunk);
                written += chunk.Length;
            }
        }
        catch (IOException)
        {
            // ENOSPC: full. Smaller writes take the last partial chunk's worth too.
            written += FillRemainder(file);
            return written;
        }
        throw new InvalidOperationException($"{Path} took {written} bytes without filling up: is it a tmpfs?");
    }

    /// <summary>Deletes the filler: its blocks are free again.</summary>
    public void Free() => File.Delete(FillerPath);

    /// <summary>Bytes free, as statfs reports them.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    private static long FillRemainder(FileStream file)
    {
        var small = new byte[512];
        long written = 0;
        for (var i = 0; i < ChunkSize / small.Length; i++)
        {
            try
            {
                file.Write(small);
                written += small.Length;
            }
            catch (IOException)
            {
                break;
            }
        }
        return written;
    }

    public async ValueTask DisposeAsync()
    {
        var (code, _) = await ExternalCommand.RunAsync("umount", Path);
        if (code != 0)
        {
            // Still busy (a process not yet reaped): detach now, the kernel frees it when the last user goes.
            await ExternalCommand.RunAsync("umount", "-l", Path);
        }
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner: an empty directory.
        }
    }
}
