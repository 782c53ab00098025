using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Postern.Core.Smtp;
using Postern.Core.Tls;
using Postern.Server.Tls;

namespace Postern.Server.Connections;

/// <summary>
/// The byte side of a session: capped command lines in, replies out. Replies are buffered and
/// flushed only when the client has nothing more pipelined (RFC 2920: at the end of a group),
/// or when the session must wait for the client.
/// </summary>
internal sealed class SmtpConnection : IAsyncDisposable
{
    private readonly RentedReplyBuffer _pending = new();
    private readonly ReadObservingStream _transport;
    private Stream _stream;
    private bool _closeNotifySent;
    private TlsChannelBindings? _channelBindings;
    private readonly int _maxLineLength;
    private bool _discardingLongLine;
    private readonly TimeProvider _clock;

    public SmtpConnection(ReadObservingStream stream, int maxLineLength, TimeProvider clock)
    {
        _clock = clock;
        _transport = stream;
        _stream = stream;
        _maxLineLength = maxLineLength;
        Input = CreateReader(stream);
    }

    /// <summary>The client's bytes; message readers consume DATA and BDAT content from here.</summary>
    public PipeReader Input { get; private set; }

    /// <summary>The TLS stream once a handshake succeeded, else null.</summary>
    public SslStream? Tls { get; private set; }

    /// <summary>Channel binding data of the TLS session (SCRAM-*-PLUS), null without TLS; computed when AUTH first asks.</summary>
    public TlsChannelBindings? ChannelBindings => Tls is null ? null : _channelBindings ??= TlsChannelBindings.From(Tls);

    /// <summary>The extra certificates (intermediates) the client sent with its certificate.</summary>
    public IReadOnlyCollection<X509Certificate2> ClientIntermediates { get; private set; } = [];

    /// <summary>The client's certificate, if it sent one.</summary>
    public X509Certificate2? ClientCertificate { get; private set; }

    /// <summary>
    /// Runs a TLS handshake as server over this connection. Anything the client sent before the
    /// handshake and the server has not read yet is discarded first: plaintext pipelined after
    /// STARTTLS must never be taken as if it came over TLS (CVE-2011-0411). Returns the number of
    /// bytes discarded.
    /// </summary>
    public async ValueTask<long> StartTlsAsync(Func<string?, ClientHelloFacts, SslServerAuthenticationOptions> options, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        long discarded = 0;
        if (Input.TryRead(out var buffered))
        {
            discarded = buffered.Buffer.Length;
            Input.AdvanceTo(buffered.Buffer.End);
        }
        await Input.CompleteAsync();
        // The hello's supported_versions decide whether the handshake can use a resumable context, and
        // its signature algorithms which certificate (ECDSA or RSA) it gets.
        var recorder = new ClientHelloRecorder(_stream);
        var tls = new SslStream(recorder, leaveInnerStreamOpen: false);
        _stream = tls;
        try
        {
            await tls.AuthenticateAsServerAsync(
                (_, hello, _, _) => ValueTask.FromResult(WithCertificateCapture(options(hello.ServerName, ClientHelloParser.Parse(recorder.Recorded)))),
                null,
                cancellationToken);
        }
        finally
        {
            recorder.StopRecording();
        }
        Tls = tls;
        Input = CreateReader(tls);
        return discarded;
    }

    // Verification happens after the handshake, against Postern's own trust anchors; here the
    // certificate and the intermediates the client sent are only kept for it.
    private SslServerAuthenticationOptions WithCertificateCapture(SslServerAuthenticationOptions options)
    {
        options.RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
        {
            if (certificate is not null)
            {
                ClientCertificate = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                ClientIntermediates = chain is null
                    ? []
                    : [.. chain.ChainPolicy.ExtraStore.Where(c => c.RawDataMemory.Span.SequenceEqual(ClientCertificate.RawDataMemory.Span) is false)];
            }
            return true;
        };
        return options;
    }

    /// <summary>How long a close_notify may take to leave before the socket is closed regardless.</summary>
    private static readonly TimeSpan CloseNotifyWait = TimeSpan.FromSeconds(2);

    // A TLS close_notify tells the client the session ended on purpose, not by truncation.
    private async ValueTask SendCloseNotifyAsync(SslStream tls)
    {
        try
        {
            using var bounded = new CancellationTokenSource(CloseNotifyWait, _clock);
            await tls.ShutdownAsync().WaitAsync(bounded.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The client is gone already; the connection closes anyway.
        }
    }

    // Zero-byte reads: an idle session waits for data without holding a rented 16 KB buffer (and
    // SslStream frees its own while waiting), which is most of an idle connection's memory.
    // The options are immutable: one instance serves every reader.
    private static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 16 * 1024, leaveOpen: true, useZeroByteReads: true);

    private static PipeReader CreateReader(Stream stream) => PipeReader.Create(stream, ReaderOptions);

    /// <summary>
    /// Waits <paramref name="pause"/> for the client to send anything before the greeting. Bytes that
    /// came stay unread; a client that waited finds the connection as it was.
    /// </summary>
    public async ValueTask<PreGreeting> WaitBeforeGreetingAsync(TimeSpan pause, CancellationToken cancellationToken)
    {
        using var quiet = new CancellationTokenSource(pause, _clock);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(quiet.Token, cancellationToken);
        try
        {
            var result = await Input.ReadAsync(wait.Token);
            var talked = !result.Buffer.IsEmpty;
            Input.AdvanceTo(result.Buffer.Start);
            return talked ? PreGreeting.Talked : PreGreeting.Closed;
        }
        catch (OperationCanceledException) when (quiet.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return PreGreeting.Silent;
        }
    }

    public void Queue(SmtpReply reply) => Encoding.UTF8.GetBytes(reply.ToWireString(), _pending);

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_closeNotifySent)
        {
            _pending.Release(); // the TLS session is closed for writing: nothing can follow close_notify
            return;
        }
        if (_pending.WrittenCount == 0)
        {
            return;
        }
        await _stream.WriteAsync(_pending.WrittenMemory, cancellationToken);
        await _stream.FlushAsync(cancellationToken);
        _pending.Release();
    }

    /// <summary>
    /// Ends the dialogue: sends the replies still queued and, under TLS, the close_notify alert,
    /// together in one TCP send (one segment, and one wake-up of the client, fewer than apart).
    /// </summary>
    public async ValueTask FinishAsync(CancellationToken cancellationToken)
    {
        if (Tls is null)
        {
            await FlushAsync(cancellationToken);
            return;
        }
        _transport.HoldWrites();
        await FlushAsync(cancellationToken);
        await SendCloseNotifyAsync(Tls);
        _closeNotifySent = true;
        await _transport.SendHeldAsync(cancellationToken);
    }

    /// <summary>Sends one reply now, e.g. before closing or before waiting for DATA content.</summary>
    public async ValueTask SendAsync(SmtpReply reply, CancellationToken cancellationToken)
    {
        Queue(reply);
        await FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Reads the next command line. A line longer than the cap is consumed to its end and reported
    /// as <see cref="LineStatus.TooLong"/>, so the session answers it once and stays in step.
    /// A CR before the LF is removed; any other CR stays in the line for the parser to refuse.
    /// </summary>
    public ValueTask<CommandLine> ReadLineAsync(CancellationToken cancellationToken) => ReadLineAsync(_maxLineLength, cancellationToken);

    /// <summary>Reads the next line with its own cap, e.g. a SASL response (RFC 4954 recommends 12288 octets).</summary>
    public async ValueTask<CommandLine> ReadLineAsync(int maxLineLength, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!Input.TryRead(out var result))
            {
                await FlushAsync(cancellationToken);
                result = await Input.ReadAsync(cancellationToken);
            }
            var buffer = result.Buffer;
            var newline = buffer.PositionOf((byte)'\n');
            if (newline is { } end)
            {
                var line = buffer.Slice(0, end);
                var next = buffer.GetPosition(1, end);
                if (_discardingLongLine || line.Length > maxLineLength)
                {
                    _discardingLongLine = false;
                    Input.AdvanceTo(next);
                    return new CommandLine(LineStatus.TooLong, []);
                }
                var bytes = line.ToArray();
                Input.AdvanceTo(next);
                var length = bytes.Length > 0 && bytes[^1] == (byte)'\r' ? bytes.Length - 1 : bytes.Length;
                return new CommandLine(LineStatus.Line, length == bytes.Length ? bytes : bytes[..length]);
            }
            if (buffer.Length > maxLineLength)
            {
                _discardingLongLine = true;
                Input.AdvanceTo(buffer.End);
                continue;
            }
            if (result.IsCompleted || result.IsCanceled)
            {
                Input.AdvanceTo(buffer.End);
                return new CommandLine(LineStatus.EndOfStream, []);
            }
            Input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Tls is not null && !_closeNotifySent)
        {
            await SendCloseNotifyAsync(Tls);
        }
        await Input.CompleteAsync();
        await _stream.DisposeAsync();
        _pending.Release();
        ClientCertificate?.Dispose();
    }
}
