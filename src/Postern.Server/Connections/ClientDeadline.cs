namespace Postern.Server.Connections;

/// <summary>
/// Cancels its token when the client has not finished what it is sending in time. A command line
/// (and the greeting's first one) must be complete within the command timeout from the moment the
/// server waits for it: bytes that trickle in do not restart the clock, so a client sending a byte
/// every few seconds is cut off like a silent one. Message data gets the data timeout, extended by
/// each byte received at the minimum data rate (Postfix's <c>smtpd_min_data_rate</c>), never to more
/// than the data timeout ahead: a client that keeps sending at least that rate is never cut off, one
/// that trickles runs out.
/// </summary>
internal sealed class ClientDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly SessionTimeouts _timeouts;
    private readonly TimeProvider _clock;
    private long _deadline;
    private TimeSpan _dataLimit;
    private bool _receivingData;

    public ClientDeadline(SessionTimeouts timeouts, TimeProvider clock)
    {
        _timeouts = timeouts;
        _clock = clock;
        var limit = timeouts.Command;
        _deadline = clock.GetTimestamp() + Ticks(limit);
        _source = new CancellationTokenSource(limit, clock);
    }

    public CancellationToken Token => _source.Token;

    public bool HasExpired => _source.IsCancellationRequested;

    /// <summary>The server waits for a command line (or a SASL response): a fixed deadline, the command timeout from now.</summary>
    public void StartCommand()
    {
        _receivingData = false;
        Restart(_timeouts.Command);
    }

    /// <summary>The server holds its greeting back for <paramref name="pause"/>: the command timeout starts after it.</summary>
    public void StartGreetPause(TimeSpan pause)
    {
        _receivingData = false;
        Restart(pause + _timeouts.Command);
    }

    /// <summary>The server waits for message data (DATA, a BDAT chunk): the data timeout, extended as bytes arrive.</summary>
    public void StartData()
    {
        _dataLimit = _timeouts.Data;
        _receivingData = true;
        Restart(_dataLimit);
    }

    /// <summary>
    /// The data has all arrived and the server works on it (end-of-data stage, commit): a fixed
    /// data timeout from now, so a client that used up its budget in transfer does not cut the commit short.
    /// </summary>
    public void StartEndOfData()
    {
        _receivingData = false;
        Restart(_timeouts.Data);
    }

    /// <summary>The client sent <paramref name="bytes"/> bytes: while data is expected, the deadline moves on by their worth at the minimum rate.</summary>
    public void Received(int bytes)
    {
        if (!_receivingData || _source.IsCancellationRequested)
        {
            return;
        }
        var now = _clock.GetTimestamp();
        var earned = _deadline + (long)((double)bytes / _timeouts.MinDataRate * _clock.TimestampFrequency);
        _deadline = Math.Min(earned, now + Ticks(_dataLimit));
        var remaining = _deadline - now;
        if (remaining > 0)
        {
            _source.CancelAfter(_clock.GetElapsedTime(0, remaining));
        }
        // Otherwise the deadline has passed and the timer set earlier is firing.
    }

    private void Restart(TimeSpan limit)
    {
        if (_source.IsCancellationRequested)
        {
            return;
        }
        _deadline = _clock.GetTimestamp() + Ticks(limit);
        _source.CancelAfter(limit);
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _clock.TimestampFrequency);

    public void Dispose() => _source.Dispose();
}
