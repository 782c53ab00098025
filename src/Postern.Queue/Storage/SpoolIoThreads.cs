namespace Postern.Queue.Storage;

/// <summary>
/// Dedicated threads for the spool's blocking durability calls: a message file's fsync, close and
/// rename into queue/, and the group commit's directory fsync. On the thread pool these calls block
/// its workers, and a 2-core machine starts with 2-3 of them: 20 concurrent commits then wait for
/// each other's fsync (~1-2 ms each) one or two at a time, and the sessions' socket work waits
/// behind them, while the disk serves concurrent fsyncs together (the block layer merges their
/// cache flushes: measured here, 20 fsyncs in parallel ~2,500 files/s, one at a time ~550).
/// A commit comes here only while another one is blocked on its caller's thread (see
/// <see cref="RunAsync"/>), so a lone commit pays no thread switch. Threads start on demand, when
/// every one is busy, up to <see cref="MaxThreads"/>, and then stay (an idle thread costs its stack
/// and nothing else). The composition root creates one set for the process and gives it to the
/// spool; a test creates its own.
/// </summary>
public sealed class SpoolIoThreads
{
    /// <summary>Enough concurrent fsyncs for the disk to merge their flushes; more only queue in the kernel.</summary>
    public const int MaxThreads = 16;

    /// <summary>Callers' threads blocked in inline work at once (a pool thread each; the pool starts with one per core).</summary>
    private const int MaxInline = 1;

    // Guards the queue and the counts; idle threads wait on it (Monitor.Wait) for work.
    private readonly object _gate = new();
    private readonly Queue<WorkItem> _queue = new();
    private readonly int _maxThreads;
    private int _threads;
    private int _idle;
    private int _inline;

    public SpoolIoThreads(int maxThreads = MaxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 1);
        _maxThreads = maxThreads;
    }

    /// <summary>Threads started so far.</summary>
    internal int Threads
    {
        get
        {
            lock (_gate)
            {
                return _threads;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on one of the threads; the task completes (never on that thread)
    /// when it has returned, or fails with what it threw. With <paramref name="mayRunHere"/>, work
    /// that no other caller is running inline right now runs on the caller's thread instead: a lone
    /// commit then costs no thread switch (each one is a wake-up that waits for a CPU on a loaded
    /// machine: end-of-DATA to 250 at a moderate rate took 2-4x longer when every commit hopped),
    /// and only concurrent ones, the ones that would pile up on the pool, come here.
    /// </summary>
    internal Task RunAsync(Action work, bool mayRunHere = false)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (mayRunHere)
        {
            if (Interlocked.Increment(ref _inline) <= MaxInline)
            {
                try
                {
                    work();
                    return Task.CompletedTask;
                }
                catch (Exception e)
                {
                    return Task.FromException(e);
                }
                finally
                {
                    Interlocked.Decrement(ref _inline);
                }
            }
            Interlocked.Decrement(ref _inline);
        }
        var item = new WorkItem(work);
        var start = false;
        lock (_gate)
        {
            _queue.Enqueue(item);
            if (_idle > 0)
            {
                // An idle thread takes it; it no longer counts as idle for the next item.
                _idle--;
                Monitor.Pulse(_gate);
            }
            else if (_threads < _maxThreads)
            {
                _threads++;
                start = true;
            }
            // Else all are busy and there is no room: the first to finish takes it.
        }
        if (start)
        {
            new Thread(Loop) { IsBackground = true, Name = "spool io" }.Start();
        }
        return item.Done.Task;
    }

    private void Loop()
    {
        while (true)
        {
            WorkItem item;
            lock (_gate)
            {
                while (!_queue.TryDequeue(out item!))
                {
                    _idle++;
                    Monitor.Wait(_gate);
                }
            }
            item.Run();
        }
    }

    private sealed class WorkItem(Action work)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run()
        {
            try
            {
                work();
                Done.SetResult();
            }
            catch (Exception e)
            {
                Done.SetException(e);
            }
        }
    }
}
