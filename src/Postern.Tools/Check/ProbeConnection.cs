using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Postern.Core.Smtp;
using Postern.Protocol.Client;

namespace Postern.Tools.Check;

/// <summary>
/// One checker connection: connect (every address of the host in turn), read bounded replies,
/// send commands one at a time, upgrade to TLS. Every step runs under the timeout and a timeout
/// surfaces as <see cref="TimeoutException"/>.
/// </summary>
internal sealed class ProbeConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly SmtpReplyReader _replies = new();
    private Stream _stream;
    private PipeReader _input;

    private ProbeConnection(Socket socket, IPAddress address, TimeSpan timeout, TimeProvider time)
    {
        _socket = socket;
        _timeout = timeout;
        _time = time;
        Address = address;
        Raw = new RecordingStream(new NetworkStream(socket, ownsSocket: true));
        _stream = Raw;
        _input = CreateReader(_stream);
    }

    public IPAddress Address { get; }

    /// <summary>The socket stream, recording the handshake bytes.</summary>
    public RecordingStream Raw { get; }

    public SslStream? Tls => _stream as SslStream;

    /// <exception cref="IOException">No address answered (or the name does not resolve).</exception>
    /// <exception cref="TimeoutException">Connecting took longer than the timeout.</exception>
    public static async Task<ProbeConnection> ConnectAsync(CheckTarget target, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(target.Host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Run(token => new ValueTask<IPAddress[]>(Dns.GetHostAddressesAsync(target.Host, token)), timeout, time, cancellationToken);
            }
            catch (SocketException e)
            {
                throw new IOException($"{target.Host}: {e.Message}", e);
            }
        }
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await Run(async token => { await socket.ConnectAsync(new IPEndPoint(address, target.Port), token); return true; }, timeout, time, cancellationToken);
                return new ProbeConnection(socket, address, timeout, time);
            }
            catch (Exception e) when (e is SocketException or TimeoutException)
            {
                socket.Dispose();
                last = e is SocketException ? new IOException($"[{address}]:{target.Port}: {e.Message}", e) : new TimeoutException($"[{address}]:{target.Port}: {e.Message}");
            }
        }
        throw last ?? new IOException($"{target.Host}: no address");
    }

    public ValueTask<SmtpReply> ReadAsync(CancellationToken cancellationToken) =>
        Run(token => _replies.ReadAsync(_input, token), _timeout, _time, cancellationToken);

    public async ValueTask<SmtpReply> CommandAsync(string line, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\r\n");
        await Run(
            async token =>
            {
                await _stream.WriteAsync(bytes, token);
                await _stream.FlushAsync(token);
                return true;
            },
            _timeout,
            _time,
            cancellationToken);
        return await ReadAsync(cancellationToken);
    }

    /// <summary>The TLS handshake (after 220 to STARTTLS, or at once for implicit TLS); the recorder is reset first.</summary>
    /// <exception cref="SmtpProtocolException">The server sent data after its 220 (a plaintext injection).</exception>
    public async ValueTask<SslStream> StartTlsAsync(SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        if (_input.TryRead(out var buffered))
        {
            var injected = !buffered.Buffer.IsEmpty;
            _input.AdvanceTo(buffered.Buffer.Start);
            if (injected)
            {
                throw new SmtpProtocolException("server sent data after its reply to STARTTLS");
            }
        }
        await _input.CompleteAsync();
        Raw.Mark();
        var tls = new SslStream(Raw, leaveInnerStreamOpen: true);
        _stream = tls;
        await Run(
            async token =>
            {
                await tls.AuthenticateAsClientAsync(options, token);
                return true;
            },
            _timeout,
            _time,
            cancellationToken);
        _input = CreateReader(tls);
        return tls;
    }

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync();
        try
        {
            if (_stream is SslStream tls)
            {
                await tls.DisposeAsync();
            }
            await Raw.DisposeAsync();
        }
        catch (IOException)
        {
            // Closing a broken connection: nothing left to say.
        }
        _socket.Dispose();
    }

    private static async ValueTask<T> Run<T>(Func<CancellationToken, ValueTask<T>> operation, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await operation(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("no answer within " + timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + " s");
        }
    }

    private static PipeReader CreateReader(Stream stream) =>
        PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
}
