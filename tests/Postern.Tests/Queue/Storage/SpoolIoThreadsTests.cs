using Postern.Queue.Storage;

namespace Postern.Tests.Queue.Storage;

public sealed class SpoolIoThreadsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Work_runs_on_a_dedicated_thread_not_the_pool()
    {
        var io = new SpoolIoThreads(maxThreads: 2);
        bool? onPool = null;
        string? name = null;

        await io.RunAsync(() =>
        {
            onPool = Thread.CurrentThread.IsThreadPoolThread;
            name = Thread.CurrentThread.Name;
        }).WaitAsync(Bound);

        Assert.False(onPool);
        Assert.Equal("spool io", name);
    }

    [Fact]
    public async Task What_the_work_throws_fails_its_task_and_the_thread_goes_on()
    {
        var io = new SpoolIoThreads(maxThreads: 1);

        var error = await Assert.ThrowsAsync<IOException>(() => io.RunAsync(() => throw new IOException("fsync failed: Input/output error")).WaitAsync(Bound));
        Assert.Contains("Input/output error", error.Message, StringComparison.Ordinal);

        var ran = false;
        await io.RunAsync(() => ran = true).WaitAsync(Bound);
        Assert.True(ran);
        Assert.Equal(1, io.Threads);
    }

    [Fact]
    public async Task Work_after_work_reuses_the_idle_thread()
    {
        var io = new SpoolIoThreads(maxThreads: 4);

        for (var i = 0; i < 20; i++)
        {
            await io.RunAsync(() => { }).WaitAsync(Bound);
        }

        Assert.Equal(1, io.Threads);
    }

    [Fact]
    public async Task Blocked_work_runs_in_parallel_up_to_the_limit_and_the_rest_waits_for_a_free_thread()
    {
        var io = new SpoolIoThreads(maxThreads: 3);
        using var gate = new ManualResetEventSlim();
        var running = 0;
        var most = 0;
        var tasks = Enumerable.Range(0, 8).Select(_ => io.RunAsync(() =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            gate.Wait(Bound);
            Interlocked.Decrement(ref running);
        })).ToArray();

        // Bounded wait until the three threads are all blocked.
        for (var i = 0; i < 1000 && Volatile.Read(ref running) < 3; i++)
        {
            await Task.Delay(10);
        }
        Assert.Equal(3, Volatile.Read(ref running));
        Assert.Equal(3, io.Threads);
        Assert.DoesNotContain(tasks, t => t.IsCompleted);

        gate.Set();
        await Task.WhenAll(tasks).WaitAsync(Bound);
        Assert.Equal(3, most);
        Assert.Equal(3, io.Threads);
    }

    [Fact]
    public async Task Work_that_may_run_here_runs_on_the_caller_unless_another_caller_is_blocked_in_it()
    {
        var io = new SpoolIoThreads(maxThreads: 2);
        var caller = Environment.CurrentManagedThreadId;
        int? ranOn = null;

        await io.RunAsync(() => ranOn = Environment.CurrentManagedThreadId, mayRunHere: true).WaitAsync(Bound);
        Assert.Equal(caller, ranOn);
        Assert.Equal(0, io.Threads);

        using var gate = new ManualResetEventSlim();
        using var blocked = new ManualResetEventSlim();
        var first = Task.Run(() => io.RunAsync(
            () =>
            {
                blocked.Set();
                gate.Wait(Bound);
            },
            mayRunHere: true));
        Assert.True(blocked.Wait(Bound));
        bool? secondOnPool = null;
        var second = io.RunAsync(() => secondOnPool = Thread.CurrentThread.IsThreadPoolThread, mayRunHere: true);
        await second.WaitAsync(Bound);
        Assert.False(secondOnPool);
        Assert.Equal(1, io.Threads);

        gate.Set();
        await first.WaitAsync(Bound);
        var error = io.RunAsync(() => throw new IOException("disk full"), mayRunHere: true);
        Assert.True(error.IsFaulted);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
