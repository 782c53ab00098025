using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Postern.Logging;

/// <summary>
/// The mail log on stderr, written by one background thread that drains every line queued
/// meanwhile into a single write: under load that is one write(2) per batch instead of one per
/// line (the console logger's), and sessions only format and enqueue. Lines are never dropped:
/// when the queue is full (stderr's reader is stuck), loggers wait as they did with the console logger.
/// The queue is a plain monitor: a line wakes the sleeping writer thread directly, with no task,
/// thread-pool hop or spin-wait in between (a channel read awaited synchronously had all three,
/// for every line when lines arrive one at a time).
/// </summary>
internal sealed class MailLogStderrProvider : ILoggerProvider
{
    private const int QueueLength = 10_000;
    private const int BatchBytes = 32 * 1024;

    private readonly object _gate = new();
    private readonly Queue<string> _queued = new();
    private readonly Stream _output;
    private readonly string _hostName;
    private readonly TimeProvider _clock;
    private readonly Thread _pump;
    private bool _completed;

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
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
        _pump.Join(TimeSpan.FromSeconds(5));
    }

    private void Enqueue(LogLevel level, string message, Exception? exception)
    {
        var line = MailLogLine.Format(_clock.GetLocalNow(), _hostName, level, message, exception);
        lock (_gate)
        {
            while (_queued.Count >= QueueLength && !_completed)
            {
                Monitor.Wait(_gate);
            }
            if (_completed)
            {
                return; // logged after shutdown: nobody is left to write it
            }
            _queued.Enqueue(line);
            if (_queued.Count == 1)
            {
                Monitor.PulseAll(_gate); // the writer sleeps only on an empty queue
            }
        }
    }

    private void Pump()
    {
        var buffer = new ArrayBufferWriter<byte>(BatchBytes);
        var newLine = Encoding.UTF8.GetBytes(Environment.NewLine);
        var batch = new List<string>();
        while (true)
        {
            lock (_gate)
            {
                while (_queued.Count == 0 && !_completed)
                {
                    Monitor.Wait(_gate);
                }
                if (_queued.Count == 0)
                {
                    return; // completed, and everything queued before is written
                }
                var wasFull = _queued.Count >= QueueLength;
                for (var chars = 0; chars < BatchBytes && _queued.TryDequeue(out var line); chars += line.Length)
                {
                    batch.Add(line);
                }
                if (wasFull)
                {
                    Monitor.PulseAll(_gate); // loggers waiting for room
                }
            }
            foreach (var line in batch)
            {
                Encoding.UTF8.GetBytes(line, buffer);
                buffer.Write(newLine);
            }
            batch.Clear();
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
