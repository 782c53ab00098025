using Postern.Core.IO;

namespace Postern.Queue.Storage;

/// <summary>
/// Group commit of one directory: sessions that renamed a message into it while a directory fsync
/// was running share the next one, so N concurrent commits cost one or two fsyncs instead of N
/// (a fsync'd rename costs ~1 ms on a typical disk, which alone would cap acceptance near 1,000
/// messages/s). No timed window: the batch is whatever accumulated during the previous fsync, so a
/// lone commit is never delayed. <see cref="SyncAsync"/> completes only once a fsync that started
/// after the call has finished, so a caller's rename is durable when it returns.
/// </summary>
internal sealed class SpoolCommitBatcher
{
    private readonly string _directory;
    private readonly Action<string> _flush;
    private readonly SpoolIoThreads _io;
    private readonly Lock _gate = new();
    private TaskCompletionSource? _pending;
    private bool _flushing;
    private long _syncs;
    private long _requests;

    public SpoolCommitBatcher(string directory, SpoolIoThreads io)
        : this(directory, DirectorySync.Flush, io)
    {
    }

    /// <summary>Test seam: <paramref name="flush"/> replaces the directory fsync.</summary>
    internal SpoolCommitBatcher(string directory, Action<string> flush, SpoolIoThreads io)
    {
        _directory = directory;
        _flush = flush;
        _io = io;
    }

    /// <summary>Directory fsyncs done so far.</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>Calls to <see cref="SyncAsync"/> so far (each a commit that needed a durable rename).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>
    /// Makes every entry already created or renamed in the directory durable. Throws the
    /// <see cref="IOException"/> of the fsync that was to cover this call, if it failed.
    /// </summary>
    public Task SyncAsync()
    {
        var waiter = Join(out var lead);
        if (lead)
        {
            // One flusher at a time; it runs off the caller's thread so the caller can await it, and
            // off the thread pool, whose few workers the sessions need while it blocks in fsync.
            _ = _io.RunAsync(FlushLoop);
        }
        return waiter;
    }

    /// <summary>
    /// As <see cref="SyncAsync"/> for a caller that may block (a commit right after its rename, in
    /// its <see cref="SpoolIoThreads"/> work): when no fsync is running, this thread runs the one for
    /// its own batch before returning, so the commit costs no extra thread wake-up; the batches that
    /// arrive meanwhile are handed to a flusher on the I/O threads. The returned task is then complete.
    /// </summary>
    public Task SyncHere()
    {
        var waiter = Join(out var lead);
        if (lead && FlushNext())
        {
            lock (_gate)
            {
                if (_pending is null)
                {
                    _flushing = false;
                    return waiter;
                }
            }
            _ = _io.RunAsync(FlushLoop);
        }
        return waiter;
    }

    private Task Join(out bool lead)
    {
        Interlocked.Increment(ref _requests);
        lock (_gate)
        {
            // Joins the batch that has not started yet: its fsync begins after this call.
            _pending ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lead = !_flushing;
            _flushing = true;
            return _pending.Task;
        }
    }

    private void FlushLoop()
    {
        while (FlushNext())
        {
        }
    }

    /// <summary>Fsyncs the pending batch; false (and no longer flushing) when there was none.</summary>
    private bool FlushNext()
    {
        TaskCompletionSource batch;
        lock (_gate)
        {
            if (_pending is null)
            {
                _flushing = false;
                return false;
            }
            // Taken before the fsync starts: every rename of this batch happened before it.
            batch = _pending;
            _pending = null;
        }
        try
        {
            _flush(_directory);
            Interlocked.Increment(ref _syncs);
            batch.SetResult();
        }
        catch (Exception e)
        {
            batch.SetException(e);
        }
        return true;
    }
}
