using System.Text;
using Microsoft.Extensions.Logging;
using Postern.Logging;

namespace Postern.Tests.Logging;

public sealed class MailLogStderrProviderTests
{
    [Fact]
    public void Writes_every_line_in_order_in_the_mail_log_shape_by_the_time_it_is_disposed()
    {
        using var output = new MemoryStream();
        var provider = new MailLogStderrProvider(output, "mx.example", TimeProvider.System);
        var logger = provider.CreateLogger("test");
        for (var i = 0; i < 3000; i++)
        {
            logger.Log(LogLevel.Information, default, i, null, static (n, _) => $"line {n}");
        }
        logger.Log(LogLevel.Warning, default, "last", null, static (s, _) => s);
        provider.Dispose();

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3001, lines.Length);
        for (var i = 0; i < 3000; i++)
        {
            Assert.EndsWith($" mx.example postern[{Environment.ProcessId}]: line {i}", lines[i], StringComparison.Ordinal);
        }
        Assert.EndsWith(": warning: last", lines[3000], StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_stderr_is_stuck_and_the_queue_is_full_loggers_wait_and_no_line_is_lost()
    {
        using var output = new StuckStream();
        var provider = new MailLogStderrProvider(output, "mx.example", TimeProvider.System);
        var logger = provider.CreateLogger("test");
        var logged = 0;
        var producer = Task.Run(() =>
        {
            for (var i = 0; i < 12_000; i++)
            {
                logger.Log(LogLevel.Information, default, i, null, static (n, _) => $"line {n}");
                Volatile.Write(ref logged, i + 1);
            }
        });
        // The writer thread is stuck in its first write: the queue (10,000) fills and the logger waits.
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref logged) >= 10_000, TimeSpan.FromSeconds(30)));
        Assert.False(producer.IsCompleted);
        output.Release();
        await producer.WaitAsync(TimeSpan.FromSeconds(30));
        provider.Dispose();

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(12_000, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            Assert.EndsWith($": line {i}", lines[i], StringComparison.Ordinal);
        }
    }

    /// <summary>Blocks the first write until released, as a pipe nobody reads.</summary>
    private sealed class StuckStream : MemoryStream
    {
        private readonly ManualResetEventSlim _released = new();

        public void Release() => _released.Set();

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _released.Wait(TimeSpan.FromSeconds(60));
            base.Write(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _released.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
