using System.Buffers;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Postern.Logging;

/// <summary>
/// The mail log on stderr, written by one background thread that drains every line queued
/// meanwhile into a single write: under load that is one write(2) per batch instead of one per
/// line (the console logger's), and sessions only format and enqueue. Lines are never dropped:
/// when the queue is full (stderr's reader is stuck), loggers wait as they did with the console logger.
/// </summary>
internal sealed class MailLogStderrProvider : ILoggerProvider
{
    private const int QueueLength = 10_000;
    private const int BatchBytes = 32 * 1024;

    private readonly Channel<string> _lines = Channel.CreateBounded<string>(
        new BoundedChannelOptions(QueueLength) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private readonly Stream _output;
    private readonly string _hostName;
    private readonly TimeProvider _clock;
    private readonly Thread _pump;

    public MailLogStderrProvider(Stream output, string hostName, TimeProvider clock)
    {
        _output = output;
        _hostName = hostName;
        _clock = clock;
        _pump = new Thread(Pump) { IsBackground = true, Name = "mail log" };
        _pump.Start();
    }

    public ILogger CreateLogger(string categoryName) => new StderrLogger(this);

    public void Dispose()
    {
        _lines.Writer.TryComplete();
        _pump.Join(TimeSpan.FromSeconds(5));
    }

    private void Enqueue(LogLevel level, string message, Exception? exception)
    {
        var line = MailLogLine.Format(_clock.GetLocalNow(), _hostName, level, message, exception);
        if (_lines.Writer.TryWrite(line))
        {
            return;
        }
        try
        {
            _lines.Writer.WriteAsync(line).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException)
        {
            // Logged after shutdown: nobody is left to write it.
        }
    }

    private void Pump()
    {
        var buffer = new ArrayBufferWriter<byte>(BatchBytes);
        var newLine = Encoding.UTF8.GetBytes(Environment.NewLine);
        var reader = _lines.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (buffer.WrittenCount < BatchBytes && reader.TryRead(out var line))
            {
                Encoding.UTF8.GetBytes(line, buffer);
                buffer.Write(newLine);
            }
            try
            {
                _output.Write(buffer.WrittenSpan);
                _output.Flush();
            }
            catch (IOException)
            {
                // stderr closed or broken: there is nowhere to report it.
            }
            buffer.ResetWrittenCount();
        }
    }

    private sealed class StderrLogger(MailLogStderrProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (IsEnabled(logLevel))
            {
                provider.Enqueue(logLevel, formatter(state, exception), exception);
            }
        }
    }
}
