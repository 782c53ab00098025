using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Postern.Testing.Smtp;

/// <summary>
/// A small SMTP server on 127.0.0.1 (a free port) standing in for a next hop, shared by the unit
/// tier (relay client tests) and the end-to-end tier. It speaks enough SMTP (EHLO/HELO, STARTTLS,
/// AUTH PLAIN/LOGIN/CRAM-MD5/SCRAM-SHA-256, MAIL, RCPT, DATA, RSET, NOOP, QUIT), behaves as
/// <see cref="SinkOptions"/> says, and records commands, envelopes and the exact DATA bytes after
/// dot-unstuffing. <see cref="DataDelay"/>, <see cref="Freeze"/> and <see cref="Thaw"/> control the
/// final reply to DATA while it runs (see <see cref="SinkDataHold"/>). Dispose stops it.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _sessions = [];
    private readonly List<SinkMessage> _messages = [];
    private readonly List<string> _commands = [];
    private readonly Lock _gate = new();
    private int _open;

    public SmtpSink(SinkOptions? options = null)
    {
        Options = options ?? new SinkOptions();
        Hold = new SinkDataHold(Options.Clock);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public SinkOptions Options { get; }

    public int Port { get; }

    public int Connections { get; private set; }

    /// <summary>The most sessions that were open at once.</summary>
    public int MaxConcurrentSessions { get; private set; }

    public string? ClientCertificateSubject { get; internal set; }

    public bool SawTls { get; internal set; }

    /// <summary>How long each final reply to DATA is held back; may change while sessions run.</summary>
    public TimeSpan DataDelay
    {
        get => Hold.Delay;
        set => Hold.Delay = value;
    }

    /// <summary>Sessions that have received a whole message and not yet answered it.</summary>
    public int InData => Hold.Waiting;

    internal SinkDataHold Hold { get; }

    public IReadOnlyList<SinkMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (_gate)
            {
                return [.. _commands];
            }
        }
    }

    /// <summary>One (X-Token header, lower-cased recipient address) pair per recipient of each message taken, in order.</summary>
    public IReadOnlyList<(string Token, string Recipient)> Delivered =>
        [.. Messages.SelectMany(m => m.Addresses.Select(address => (m.Token, address)))];

    /// <summary>From now on no message is accepted (held replies are never sent) until <see cref="Thaw"/>.</summary>
    public void Freeze() => Hold.Freeze();

    public void Thaw() => Hold.Thaw();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Connections++;
                lock (_gate)
                {
                    _sessions.Add(RunSessionAsync(client));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task RunSessionAsync(TcpClient client)
    {
        // Only guards against a hung test; nothing asserts on time.
        using var guard = new CancellationTokenSource(Options.SessionTimeout, Options.Clock);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, guard.Token);
        lock (_gate)
        {
            MaxConcurrentSessions = Math.Max(MaxConcurrentSessions, ++_open);
        }
        using (client)
        {
            try
            {
                await new SinkSession(this, client.GetStream()).RunAsync(session.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or AuthenticationException or ObjectDisposedException)
            {
                // The client went away (or was killed) or the test ended.
            }
            finally
            {
                lock (_gate)
                {
                    _open--;
                }
            }
        }
    }

    internal void Record(string command)
    {
        lock (_gate)
        {
            _commands.Add(command);
        }
    }

    internal void Record(SinkMessage message)
    {
        lock (_gate)
        {
            _messages.Add(message);
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
        _listener.Dispose();
        _stop.Dispose();
    }
}
