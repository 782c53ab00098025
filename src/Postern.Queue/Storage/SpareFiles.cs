using System.Collections.Concurrent;

namespace Postern.Queue.Storage;

/// <summary>
/// Files of removed messages kept, empty, in tmp/ for new messages to be written into: a message
/// then costs two renames instead of an inode allocated on accept and freed on removal. On ext4
/// without a journal every inode allocation skips the inodes freed in the last seconds, reading
/// each one's on-disk copy (<c>recently_deleted</c>), so with hundreds of messages a second through
/// one directory a create cost ~1 ms of kernel CPU, most of the spool's cost per message.
/// A spare is renamed out of queue/ (that removal is what the caller makes durable), then truncated:
/// no delivered mail stays on disk in it. Spares are tmp/ files like any unfinished message, so
/// start-up recovery deletes them; one that is gone meanwhile is skipped. At most
/// <see cref="Capacity"/> are kept; beyond that a removed message is unlinked as before.
/// </summary>
internal sealed class SpareFiles
{
    public const string Extension = ".spare";

    /// <summary>The default capacity: a burst's worth of messages (each spare is an empty inode).</summary>
    public const int DefaultCapacity = 1024;

    private readonly ConcurrentQueue<string> _spares = new();
    private readonly string _directory;
    // Names unique within the process; a previous process's spares were deleted by recovery, and a
    // name taken anyway only makes that one recycle fall back to unlinking.
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8];
    private long _next;
    private int _count;

    public SpareFiles(string directory, int capacity = DefaultCapacity)
    {
        _directory = directory;
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Spares ready to be taken.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Renames a spare to <paramref name="destination"/> (a new temp message); false when none is
    /// left, and the caller creates a file. The spare is empty and private (it was a spool file).
    /// </summary>
    public bool TryTake(string destination)
    {
        while (_spares.TryDequeue(out var spare))
        {
            Interlocked.Decrement(ref _count);
            try
            {
                File.Move(spare, destination);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Deleted by recovery (or by hand): try the next one.
            }
        }
        return false;
    }

    /// <summary>
    /// Removes <paramref name="path"/> (a committed message) from its directory: renamed to a spare
    /// and emptied when there is room, else unlinked. A file already gone is not an error.
    /// </summary>
    public void Recycle(string path)
    {
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            Interlocked.Decrement(ref _count);
            File.Delete(path);
            return;
        }
        var spare = Path.Combine(_directory, $"{_prefix}-{Interlocked.Increment(ref _next)}{Extension}");
        try
        {
            File.Move(path, spare);
        }
        catch (FileNotFoundException)
        {
            Interlocked.Decrement(ref _count);
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Interlocked.Decrement(ref _count);
            File.Delete(path);
            return;
        }
        try
        {
            // Empty at once: the delivered message does not linger in tmp/ until the spare is reused.
            File.OpenHandle(spare, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete).Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Interlocked.Decrement(ref _count);
            File.Delete(spare);
            return;
        }
        _spares.Enqueue(spare);
    }
}
