using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Policy;
using Postern.Core.Queueing;
using Postern.Core.Tls;
using Postern.Policy;
using Postern.Server.Options;
using Postern.Server.Session;

namespace Postern.Tests.Server;

/// <summary>
/// Drives one in-memory SMTP session with raw bytes, as a client would: send, then expect replies.
/// Policy is the real local-only policy over fake local users; the queue is in memory.
/// </summary>
internal sealed class DialogHarness : IAsyncDisposable
{
    private static readonly TimeSpan ReplyWait = TimeSpan.FromSeconds(10);
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _session;
    private Stream _client;
    private StreamReader _replies;

    public DialogHarness(
        SmtpServerOptions? options = null,
        FakeMessageQueue? queue = null,
        FakeTimeProvider? clock = null,
        IServerTlsContext? tls = null,
        IQueueControl? queueControl = null,
        Func<SessionServices, SessionServices>? configure = null)
        : this(null, null, options, queue, clock, tls, queueControl, configure)
    {
    }

    /// <summary>
    /// A session with <paramref name="policy"/> (default: the real policy over fake local users) logging to
    /// <paramref name="logger"/>; <paramref name="configure"/> adjusts its services (AUTH, a collecting logger).
    /// </summary>
    public DialogHarness(
        IPolicyEngine? policy,
        ILogger? logger,
        SmtpServerOptions? options = null,
        FakeMessageQueue? queue = null,
        FakeTimeProvider? clock = null,
        IServerTlsContext? tls = null,
        IQueueControl? queueControl = null,
        Func<SessionServices, SessionServices>? configure = null)
    {
        Options = options ?? DefaultOptions();
        Queue = queue ?? new FakeMessageQueue();
        Clock = clock ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 15, 22, 19, TimeSpan.Zero));
        policy ??= new RelayPolicy(() => new FakeLocalRecipients(), new RelayPolicyOptions());
        var services = new SessionServices(Options, policy, Queue, Clock, logger ?? NullLogger.Instance, tls, queueControl);
        services = configure?.Invoke(services) ?? services;
        var listener = Options.Listeners[0];
        var stream = DuplexPipeStream.Create(_toServer.Reader, _toClient.Writer);
        var session = new SmtpSession(services, listener, stream, new IPEndPoint(IPAddress.Loopback, 40000), listener.EndPoint);
        _session = Task.Run(async () =>
        {
            await using (session)
            {
                await session.RunAsync(_shutdown.Token, _abort.Token);
            }
        });
        _client = DuplexPipeStream.Create(_toClient.Reader, _toServer.Writer);
        _replies = new StreamReader(_client, Encoding.UTF8);
    }

    public SmtpServerOptions Options { get; }

    public FakeMessageQueue Queue { get; }

    public FakeTimeProvider Clock { get; }

    public Task SessionTask => _session;

    public static SmtpServerOptions DefaultOptions() => new()
    {
        HostName = "mx.test",
        Listeners = [new ListenerOptions("mta", new IPEndPoint(IPAddress.Loopback, 25), ListenerRole.Mta)],
        MaxMessageSize = 10_000,
        MaxRecipients = 3,
    };

    /// <summary>Starts a harness and consumes the greeting.</summary>
    public static async Task<DialogHarness> ConnectAsync(
        SmtpServerOptions? options = null,
        FakeMessageQueue? queue = null,
        FakeTimeProvider? clock = null,
        IServerTlsContext? tls = null,
        IQueueControl? queueControl = null,
        Func<SessionServices, SessionServices>? configure = null)
    {
        var harness = new DialogHarness(options, queue, clock, tls, queueControl, configure);
        await harness.ExpectAsync("220 mx.test ESMTP");
        return harness;
    }

    /// <summary>Starts a harness with <paramref name="policy"/> and consumes the greeting.</summary>
    public static async Task<DialogHarness> ConnectAsync(IPolicyEngine policy, ILogger? logger = null, SmtpServerOptions? options = null, FakeMessageQueue? queue = null)
    {
        var harness = new DialogHarness(policy, logger, options, queue);
        await harness.ExpectAsync("220 mx.test ESMTP");
        return harness;
    }

    public async Task SendAsync(string raw) => await SendAsync(Encoding.UTF8.GetBytes(raw));

    public async Task SendAsync(byte[] raw)
    {
        await _client.WriteAsync(raw);
        await _client.FlushAsync();
    }

    /// <summary>The client side of a TLS handshake (after STARTTLS's 220, or at once for implicit TLS).</summary>
    public async Task<SslStream> StartTlsAsync(X509Certificate2? clientCertificate = null, SslProtocols protocols = SslProtocols.Tls12 | SslProtocols.Tls13)
    {
        var tls = new SslStream(_client, leaveInnerStreamOpen: false);
        using var timeout = new CancellationTokenSource(ReplyWait);
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = "mx.test",
                EnabledSslProtocols = protocols,
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            },
            timeout.Token);
        _client = tls;
        _replies = new StreamReader(tls, Encoding.UTF8);
        return tls;
    }

    /// <summary>Reads one whole reply (all its lines) and returns it with lines joined by \n.</summary>
    public async Task<string> ReadReplyAsync()
    {
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(ReplyWait);
        while (true)
        {
            var line = await _replies.ReadLineAsync(timeout.Token)
                ?? throw new EndOfStreamException("connection closed; replies so far: " + string.Join(" | ", lines));
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                return string.Join('\n', lines);
            }
        }
    }

    /// <summary>Reads the next reply and checks that it starts with <paramref name="prefix"/>.</summary>
    public async Task<string> ExpectAsync(string prefix)
    {
        var reply = await ReadReplyAsync();
        Assert.StartsWith(prefix, reply, StringComparison.Ordinal);
        return reply;
    }

    /// <summary>EHLO, MAIL, RCPT and DATA pipelined as one group, up to the 354.</summary>
    public async Task StartDataAsync()
    {
        await SendAsync("EHLO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<user@localhost>\r\nDATA\r\n");
        await ExpectAsync("250-mx.test");
        await ExpectAsync("250 2.1.0");
        await ExpectAsync("250 2.1.5");
        await ExpectAsync("354");
    }

    public async Task SendAndExpectAsync(string raw, string prefix)
    {
        await SendAsync(raw);
        await ExpectAsync(prefix);
    }

    /// <summary>True when the server closed the connection (after any replies still unread are drained).</summary>
    public async Task<bool> ServerClosedAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyWait);
        try
        {
            while (await _replies.ReadLineAsync(timeout.Token) is not null)
            {
            }
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void RequestShutdown() => _shutdown.Cancel();

    public async Task HangUpAsync() => await _toServer.Writer.CompleteAsync();

    public static SmtpServerOptions TlsOptions(ListenerTlsMode mode, ClientCertificateMode clientCertificates = ClientCertificateMode.None, bool requireTls = false) =>
        DefaultOptions() with
        {
            Listeners =
            [
                new ListenerOptions("tls", new IPEndPoint(IPAddress.Loopback, 25), ListenerRole.Mta)
                {
                    Tls = mode,
                    ClientCertificates = clientCertificates,
                    RequireTls = requireTls,
                },
            ],
        };

    public async ValueTask DisposeAsync()
    {
        await _toServer.Writer.CompleteAsync();
        await _abort.CancelAsync();
        await _session.WaitAsync(ReplyWait);
        _replies.Dispose();
        _shutdown.Dispose();
        _abort.Dispose();
    }
}
