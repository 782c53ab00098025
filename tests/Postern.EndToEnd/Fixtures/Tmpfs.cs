using System.Diagnostics;
using System.Globalization;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// A small tmpfs, to run out of space for real: writes past its size fail with ENOSPC.
/// <see cref="Fill"/> takes every free block with a filler file and <see cref="Free"/> gives them
/// back. As root (CI) it is mounted on a fresh directory. Without root, where unprivileged user
/// namespaces are allowed, a holder process mounts it in its own user and mount namespace and
/// everyone (the tests, postern) reaches it through <c>/proc/PID/root</c>: the same filesystem,
/// the same ENOSPC. Disposing unmounts (lazily, should a process still hold a file open), or stops
/// the holder by its PID, and removes the directory.
/// </summary>
public sealed class Tmpfs : IAsyncDisposable
{
    private const int ChunkSize = 64 * 1024;
    private readonly string _mountPoint;
    private readonly Process? _holder;

    private Tmpfs(string mountPoint, Process? holder)
    {
        _mountPoint = mountPoint;
        _holder = holder;
        Path = holder is null ? mountPoint : $"/proc/{holder.Id.ToString(CultureInfo.InvariantCulture)}/root{mountPoint}";
    }

    /// <summary>The filesystem's root as this process and the postern it starts see it.</summary>
    public string Path { get; }

    private string FillerPath => System.IO.Path.Combine(Path, "filler");

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MiB; fails with mount's and unshare's words when neither can.</summary>
    public static async Task<Tmpfs> MountAsync(int megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "postern-tmpfs-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        var options = "size=" + megabytes.ToString(CultureInfo.InvariantCulture) + "m,mode=0755";
        var (code, output) = await ExternalCommand.RunAsync("mount", "-t", "tmpfs", "-o", options, "tmpfs", path);
        if (code == 0)
        {
            return new Tmpfs(path, null);
        }
        var (holder, problem) = await StartHolderAsync(path, options);
        if (holder is null)
        {
            Directory.Delete(path);
            throw new InvalidOperationException(
                $"these tests need a real full filesystem, and no tmpfs could be mounted: run them as root, as CI does\nmount: {output}\nunshare: {problem}");
        }
        return new Tmpfs(path, holder);
    }

    /// <summary>
    /// unshare: a user namespace (this user is root in it) and a mount namespace, the tmpfs mounted
    /// there, then a bounded sleep holding both until disposed.
    /// </summary>
    private static async Task<(Process? Holder, string Problem)> StartHolderAsync(string path, string options)
    {
        var info = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["--user", "--map-root-user", "--mount", "sh", "-c", "mount -t tmpfs -o \"$1\" tmpfs \"$2\" && echo mounted && exec sleep 900", "sh", options, path])
        {
            info.ArgumentList.Add(argument);
        }
        var holder = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            if (await holder.StandardOutput.ReadLineAsync(timeout.Token) == "mounted")
            {
                return (holder, "");
            }
        }
        catch (OperationCanceledException)
        {
            // Reported below with whatever it said.
        }
        holder.Kill();
        await holder.WaitForExitAsync();
        var problem = await holder.StandardError.ReadToEndAsync();
        holder.Dispose();
        return (null, problem);
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
        if (_holder is not null)
        {
            // The namespace, and the tmpfs with it, goes with its last process.
            _holder.Kill();
            await _holder.WaitForExitAsync();
            _holder.Dispose();
        }
        else if ((await ExternalCommand.RunAsync("umount", _mountPoint)).Code != 0)
        {
            // Still busy (a process not yet reaped): detach now, the kernel frees it when the last user goes.
            await ExternalCommand.RunAsync("umount", "-l", _mountPoint);
        }
        try
        {
            Directory.Delete(_mountPoint, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner: an empty directory.
        }
    }
}
