using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Postern.Logging;

/// <summary>
/// The mail log written to a file as well (log.file), by one background writer so sessions never
/// wait on the disk. Lines are appended; rotate with copytruncate or a restart.
/// </summary>
internal sealed class MailLogFileProvider : ILoggerProvider
{
    /// <summary>How long disposing waits for the queued lines to reach the file.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly Channel<string> _lines = Channel.CreateBounded<string>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly StreamWriter _writer;
    private readonly Task _pump;
    private readonly string _hostName;
    private readonly TimeProvider _clock;

    public MailLogFileProvider(string path, string hostName, TimeProvider clock)
    {
        _hostName = hostName;
        _clock = clock;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
        _pump = PumpAsync();
    }

    public ILogger CreateLogger(string categoryName) => new FileLogger(this);

    public void Dispose()
    {
        _lines.Writer.TryComplete();
        try
        {
            _pump.WaitAsync(DrainTimeout, _clock).Wait();
        }
        catch (AggregateException e) when (e.InnerException is TimeoutException)
        {
            // A disk that stopped answering must not hold the shutdown: the lines left are lost.
        }
        _writer.Dispose();
    }

    private void Enqueue(LogLevel level, string message, Exception? exception) =>
        _lines.Writer.TryWrite(MailLogLine.Format(_clock.GetLocalNow(), _hostName, level, message, exception));

    private async Task PumpAsync()
    {
        await foreach (var line in _lines.Reader.ReadAllAsync())
        {
            await _writer.WriteLineAsync(line);
            if (_lines.Reader.Count == 0)
            {
                await _writer.FlushAsync();
            }
        }
        await _writer.FlushAsync();
    }

    private sealed class FileLogger(MailLogFileProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Enqueue(logLevel, formatter(state, exception), exception);
            }
        }
    }
}
