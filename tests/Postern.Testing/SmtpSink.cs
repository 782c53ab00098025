using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postern.Testing;

/// <summary>
/// A loopback next hop for relay tests: plain SMTP (no STARTTLS, no extensions), accepts every
/// recipient and records one (token, recipient) pair per recipient of each message it answers 250
/// to, the token being the message's X-Token header. <see cref="DataDelay"/> holds the final reply
/// to DATA; a held reply that overlaps a <see cref="Freeze"/> is never sent: the session waits for
/// the client to go away, so a client killed mid-DATA never saw its message accepted.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(string Token, string Recipient)> _delivered = [];
    private readonly List<Task> _sessions = [];
    private readonly Lock _gate = new();
    private readonly Task _accepting;
    private int _inData;
    private bool _frozen;
    private int _freezes;
    private long _delayTicks;

    public SmtpSink()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How long each final reply to DATA is held back.</summary>
    public TimeSpan DataDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    /// <summary>Sessions that have received a whole message and not yet answered it.</summary>
    public int InData => Volatile.Read(ref _inData);

    public IReadOnlyList<(string Token, string Recipient)> Delivered
    {
        get
        {
            lock (_gate)
            {
                return [.. _delivered];
            }
        }
    }

    /// <summary>From now on no message is accepted (held replies are never sent) until <see cref="Thaw"/>.</summary>
    public void Freeze()
    {
        lock (_gate)
        {
            _frozen = true;
            _freezes++;
        }
    }

    public void Thaw()
    {
        lock (_gate)
        {
            _frozen = false;
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_gate)
                {
                    _sessions.Add(SessionAsync(client));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task SessionAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.Latin1);
            await using var writer = new StreamWriter(stream, Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 sink.test ESMTP");
            var recipients = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = (line.Length > 4 ? line[..4] : line).ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO" or "HELO":
                        await writer.WriteLineAsync("250 sink.test");
                        break;
                    case "MAIL":
                        recipients.Clear();
                        await writer.WriteLineAsync("250 2.1.0 Ok");
                        break;
                    case "RCPT":
                        var start = line.IndexOf('<', StringComparison.Ordinal) + 1;
                        recipients.Add(line[start..line.IndexOf('>', start)].ToLowerInvariant());
                        await writer.WriteLineAsync("250 2.1.5 Ok");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var token = await ReadMessageAsync(reader);
                        if (!await HoldAndRecordAsync(token, recipients))
                        {
                            // Frozen: never answer; wait for the client to give up or die.
                            while (await reader.ReadLineAsync(_stop.Token) is not null)
                            {
                            }
                            return;
                        }
                        await writer.WriteLineAsync("250 2.0.0 Ok: queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 Bye");
                        return;
                    case "RSET" or "NOOP":
                        await writer.WriteLineAsync("250 2.0.0 Ok");
                        break;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 Command not recognized");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away (killed) or the sink is stopping.
        }
    }

    private async Task<string> ReadMessageAsync(StreamReader reader)
    {
        var token = "";
        while (await reader.ReadLineAsync(_stop.Token) is { } line && line != ".")
        {
            if (line.StartsWith("X-Token: ", StringComparison.Ordinal))
            {
                token = line["X-Token: ".Length..];
            }
        }
        return token;
    }

    private async Task<bool> HoldAndRecordAsync(string token, List<string> recipients)
    {
        int freezes;
        lock (_gate)
        {
            freezes = _freezes;
        }
        Interlocked.Increment(ref _inData);
        try
        {
            await Task.Delay(DataDelay, _stop.Token);
            lock (_gate)
            {
                // A hold that overlapped a freeze never answers, even if thawed since: its client was killed.
                if (_frozen || _freezes != freezes)
                {
                    return false;
                }
                _delivered.AddRange(recipients.Select(r => (token, r)));
                return true;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inData);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] sessions;
        lock (_gate)
        {
            sessions = [.. _sessions];
        }
        await Task.WhenAll(sessions);
        _stop.Dispose();
    }
}
