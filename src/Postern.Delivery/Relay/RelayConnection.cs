using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Postern.Core.Smtp;
using Postern.Protocol.Client;

namespace Postern.Delivery.Relay;

/// <summary>
/// The socket under one relay session: queued command lines written in one go (pipelining),
/// replies read with bounds, each step under a deadline (a timeout surfaces as
/// <see cref="TimeoutException"/>), and the STARTTLS upgrade.
/// </summary>
internal sealed class RelayConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly TimeProvider _time;
    private readonly SmtpReplyReader _replies = new();
    private readonly MemoryStream _pending = new();
    private Stream _stream;
    private PipeReader _input;

    private RelayConnection(Socket socket, IPAddress address, TimeProvider time)
    {
        _socket = socket;
        _time = time;
        Address = address;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _input = CreateReader(_stream);
    }

    public IPAddress Address { get; }

    public SslStream? Tls => _stream as SslStream;

    public X509Certificate2? ServerCertificate { get; private set; }

    public IReadOnlyCollection<X509Certificate2> ServerIntermediates { get; private set; } = [];

    /// <summary>Connects to the first address that answers; throws the last error when none does.</summary>
    public static async ValueTask<RelayConnection> ConnectAsync(RelayHost host, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var address in host.Addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using var deadline = Deadline.Start(timeout, time, cancellationToken);
                await socket.ConnectAsync(new IPEndPoint(address, host.Port), deadline.Token);
                return new RelayConnection(socket, address, time);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                last = new TimeoutException($"[{address}]: connect timed out");
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = new IOException($"[{address}]: {e.Message}", e);
            }
        }
        throw last ?? new IOException("no addresses");
    }

    public void Queue(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\r\n");
        _pending.Write(bytes);
    }

    public async ValueTask FlushAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_pending.Length == 0)
        {
            return;
        }
        await RunAsync(
            async token =>
            {
                await _stream.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), token);
                await _stream.FlushAsync(token);
                return true;
            },
            timeout,
            cancellationToken);
        _pending.SetLength(0);
    }

    public ValueTask<SmtpReply> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync(token => _replies.ReadAsync(_input, token), timeout, cancellationToken);

    /// <summary>Streams the body in DATA form and flushes.</summary>
    public ValueTask<long> WriteDataAsync(Stream body, TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync(token => DotStuffingWriter.WriteAsync(body, _stream, token), timeout, cancellationToken);

    /// <summary>
    /// The TLS handshake after 220 to STARTTLS. Anything the server sent after its 220 came
    /// before encryption and could be an injection: that ends the session instead.
    /// </summary>
    public async ValueTask StartTlsAsync(SslClientAuthenticationOptions options, TimeSpan timeout, CancellationToken cancellationToken)
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
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        _stream = tls;
        options.RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
        {
            if (certificate is not null)
            {
                var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                ServerCertificate = leaf;
                ServerIntermediates = chain is null
                    ? []
                    : [.. chain.ChainPolicy.ExtraStore.Where(c => !c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))];
            }
            // The verdict is VerifyServer's, after the handshake.
            return true;
        };
        await RunAsync(
            async token =>
            {
                await tls.AuthenticateAsClientAsync(options, token);
                return true;
            },
            timeout,
            cancellationToken);
        _input = CreateReader(tls);
    }

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync();
        try
        {
            await _stream.DisposeAsync();
        }
        catch (IOException)
        {
            // Closing a broken connection: nothing left to say.
        }
        _socket.Dispose();
        await _pending.DisposeAsync();
    }

    private async ValueTask<T> RunAsync<T>(Func<CancellationToken, ValueTask<T>> operation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = Deadline.Start(timeout, _time, cancellationToken);
        try
        {
            return await operation(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("timed out after " + timeout);
        }
    }

    private static PipeReader CreateReader(Stream stream) =>
        PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
}
