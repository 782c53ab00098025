using Microsoft.Extensions.Time.Testing;
using Postern.Queue.Storage;

namespace Postern.Tests.Queue.Storage;

public sealed class SpoolCommitBatcherTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly TempSpoolDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Commits_that_arrive_during_a_fsync_share_the_next_one()
    {
        var flush = new GatedFlush();
        var batcher = new SpoolCommitBatcher("/spool/queue", flush.Run, new SpoolIoThreads());

        var first = batcher.SyncAsync();
        await flush.WaitStartedAsync(1);
        var waiting = Enumerable.Range(0, 5).Select(_ => batcher.SyncAsync()).ToArray();

        flush.Release(1);
        await first.WaitAsync(Bound);
        await flush.WaitStartedAsync(2);
        // The fsync that was running when they arrived does not count for them: its start preceded their renames.
        Assert.DoesNotContain(waiting, w => w.IsCompleted);

        flush.Release(2);
        await Task.WhenAll(waiting).WaitAsync(Bound);
        Assert.Equal(2, flush.Calls);
        Assert.Equal(2, batcher.Syncs);
        Assert.Equal(6, batcher.Requests);
        Assert.Equal(["/spool/queue", "/spool/queue"], flush.Directories);
    }

    [Fact]
    public async Task A_lone_commit_gets_its_own_fsync_at_once_and_the_flusher_stops_after_it()
    {
        var flush = new GatedFlush();
        flush.Release(1);
        flush.Release(2);
        var batcher = new SpoolCommitBatcher("/q", flush.Run, new SpoolIoThreads());

        await batcher.SyncAsync().WaitAsync(Bound);
        Assert.Equal(1, flush.Calls);
        await batcher.SyncAsync().WaitAsync(Bound);
        Assert.Equal(2, flush.Calls);
    }

    [Fact]
    public async Task A_failed_fsync_fails_every_commit_of_its_batch_and_the_next_batch_gets_a_new_one()
    {
        var calls = 0;
        var batcher = new SpoolCommitBatcher("/q", _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new IOException("fsync of directory /q failed: Input/output error");
            }
        }, new SpoolIoThreads());

        var error = await Assert.ThrowsAsync<IOException>(() => batcher.SyncAsync().WaitAsync(Bound));
        Assert.Contains("Input/output error", error.Message, StringComparison.Ordinal);
        await batcher.SyncAsync().WaitAsync(Bound);
        Assert.Equal(2, calls);
        Assert.Equal(1, batcher.Syncs);
    }

    [Fact]
    public async Task Concurrent_spool_commits_all_land_in_queue_each_through_the_batcher()
    {
        var spool = TestMessages.Spool(_directory, new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        const int Messages = 40;
        var ids = await Task.WhenAll(Enumerable.Range(0, Messages).Select(n => Task.Run(() =>
            TestMessages.CommitAsync(spool, TestMessages.Envelope("rcpt@example.net"), TestMessages.Body($"Subject: {n}\r\n\r\nbody\r\n")))));

        Assert.Equal(Messages, ids.Distinct().Count());
        Assert.Equal(Messages, TempSpoolDirectory.Names(_directory.Queue).Length);
        Assert.Empty(TempSpoolDirectory.Names(_directory.Tmp));
        Assert.Equal(Messages, spool.QueueSync.Requests);
        Assert.InRange(spool.QueueSync.Syncs, 1, Messages);
    }

    [Fact]
    public async Task A_new_journal_and_a_removal_go_through_the_group_commit_an_append_does_not()
    {
        var spool = TestMessages.Spool(_directory, new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        var id = await TestMessages.CommitAsync(spool, TestMessages.Envelope("a@example.net", "b@example.net"), TestMessages.Body());
        var before = spool.QueueSync.Requests;

        Assert.True(await spool.Journal.AppendAsync(id, [new JournalEntry { Recipient = 0, Kind = JournalKind.Delivered }]));
        Assert.True(await spool.Journal.AppendAsync(id, [new JournalEntry { Recipient = 1, Kind = JournalKind.Delivered }]));
        Assert.Equal([id + ".msg", id + ".rcpt"], TempSpoolDirectory.Names(_directory.Queue));
        await spool.Store.RemoveAsync(id);

        Assert.Equal(before + 2, spool.QueueSync.Requests);
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
        Assert.False(await spool.Journal.AppendAsync(id, [new JournalEntry { Recipient = 0, Kind = JournalKind.Delivered }]));
    }

    [Fact]
    public async Task The_directory_fsync_runs_on_the_spool_io_threads_not_the_pool()
    {
        bool? onPool = null;
        var batcher = new SpoolCommitBatcher("/q", _ => onPool = Thread.CurrentThread.IsThreadPoolThread, new SpoolIoThreads(maxThreads: 1));

        await batcher.SyncAsync().WaitAsync(Bound);

        Assert.False(onPool);
    }

    [Fact]
    public async Task A_commit_on_an_io_thread_with_no_fsync_running_fsyncs_there_and_returns_durable()
    {
        var batcher = new SpoolCommitBatcher("/q", _ => { }, new SpoolIoThreads(maxThreads: 1));

        var durable = batcher.SyncHere();

        Assert.True(durable.IsCompletedSuccessfully);
        Assert.Equal(1, batcher.Syncs);
        // The flusher stopped after it: the next commit leads again.
        Assert.True(batcher.SyncHere().IsCompletedSuccessfully);
        Assert.Equal(2, batcher.Syncs);
        await batcher.SyncAsync().WaitAsync(Bound);
        Assert.Equal(3, batcher.Syncs);
    }

    [Fact]
    public async Task A_commit_on_an_io_thread_joins_a_running_fsync_and_the_next_batch_is_flushed_elsewhere()
    {
        var flush = new GatedFlush();
        var batcher = new SpoolCommitBatcher("/q", flush.Run, new SpoolIoThreads(maxThreads: 2));

        var first = batcher.SyncAsync();
        await flush.WaitStartedAsync(1);
        var joined = batcher.SyncHere();
        Assert.False(joined.IsCompleted);

        flush.Release(1);
        await first.WaitAsync(Bound);
        await flush.WaitStartedAsync(2);
        Assert.False(joined.IsCompleted);
        flush.Release(2);
        await joined.WaitAsync(Bound);
        Assert.Equal(2, flush.Calls);
    }

    [Fact]
    public void A_failed_fsync_led_on_an_io_thread_fails_the_returned_task_and_does_not_throw()
    {
        var batcher = new SpoolCommitBatcher("/q", _ => throw new IOException("fsync of directory /q failed: Input/output error"), new SpoolIoThreads(maxThreads: 1));

        var durable = batcher.SyncHere();

        Assert.True(durable.IsFaulted);
        Assert.IsType<IOException>(durable.Exception!.InnerException);
    }

    /// <summary>A directory fsync stand-in whose n-th call blocks until <see cref="Release"/>(n).</summary>
    private sealed class GatedFlush
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<int, SemaphoreSlim> _releases = [];
        private readonly Dictionary<int, TaskCompletionSource> _started = [];
        private readonly List<string> _directories = [];
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public IReadOnlyList<string> Directories
        {
            get
            {
                lock (_gate)
                {
                    return [.. _directories];
                }
            }
        }

        public void Run(string directory)
        {
            var call = Interlocked.Increment(ref _calls);
            lock (_gate)
            {
                _directories.Add(directory);
            }
            Started(call).TrySetResult();
            Assert.True(Gate(call).Wait(Bound), $"fsync {call} was never released");
        }

        public Task WaitStartedAsync(int call) => Started(call).Task.WaitAsync(Bound);

        public void Release(int call) => Gate(call).Release();

        private SemaphoreSlim Gate(int call)
        {
            lock (_gate)
            {
                return _releases.TryGetValue(call, out var gate) ? gate : _releases[call] = new SemaphoreSlim(0);
            }
        }

        private TaskCompletionSource Started(int call)
        {
            lock (_gate)
            {
                return _started.TryGetValue(call, out var started)
                    ? started
                    : _started[call] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }
}
