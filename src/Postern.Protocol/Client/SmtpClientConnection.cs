using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Postern.Core.Smtp;

namespace Postern.Protocol.Client;

/// <summary>
/// One outbound SMTP connection, for the relay client and <c>postern check</c> alike: command lines
/// queued and written in one go (pipelining), replies read with bounds, the body in DATA form, the
/// STARTTLS upgrade with its injection check. Every step runs under a deadline on the injected
/// clock; a deadline that passes surfaces as <see cref="TimeoutException"/> in the caller's words.
/// </summary>
public sealed class SmtpClientConnection : IAsyncDisposable
{
    private readonly Stream _transport;
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan, string> _describeTimeout;
    private readonly SmtpReplyReader _replies = new();
    private readonly MemoryStream _pending = new();
    private Stream _stream;
    private PipeReader _input;

    /// <param name="transport">The connected socket's stream (owned: disposed with the connection).</param>
    /// <param name="time">The clock of every deadline.</param>
    /// <param name="describeTimeout">The message of the <see cref="TimeoutException"/> when a step runs out of time.</param>
    public SmtpClientConnection(Stream transport, TimeProvider time, Func<TimeSpan, string> describeTimeout)
    {
        _transport = transport;
        _time = time;
        _describeTimeout = describeTimeout;
        _stream = transport;
        _input = CreateReader(transport);
    }

    /// <summary>The TLS layer once <see cref="StartTlsAsync"/> succeeded.</summary>
    public SslStream? Tls => _stream as SslStream;

    /// <summary>A TCP connection to <paramref name="endPoint"/>, Nagle off.</summary>
    /// <exception cref="SocketException">Refused, unreachable...</exception>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/> (the message says only that).</exception>
    public static async ValueTask<Socket> ConnectAsync(IPEndPoint endPoint, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var deadline = Deadline.Start(timeout, time, cancellationToken);
            await socket.ConnectAsync(endPoint, deadline.Token);
            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException("connect timed out");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Adds a command line to what the next <see cref="FlushAsync"/> sends.</summary>
    public void Queue(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\r\n");
        _pending.Write(bytes);
    }

    /// <summary>Sends the queued lines in one write.</summary>
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

    /// <summary>One command, then its reply (each step under its own deadline).</summary>
    public async ValueTask<SmtpReply> CommandAsync(string line, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Queue(line);
        await FlushAsync(timeout, cancellationToken);
        return await ReadAsync(timeout, cancellationToken);
    }

    /// <summary>The next reply, bounded in line length and line count.</summary>
    public ValueTask<SmtpReply> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync(token => _replies.ReadAsync(_input, token), timeout, cancellationToken);

    /// <summary>Streams the body in DATA form and flushes; returns the bytes sent.</summary>
    public ValueTask<long> WriteDataAsync(Stream body, TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync(token => DotStuffingWriter.WriteAsync(body, _stream, token), timeout, cancellationToken);

    /// <summary>
    /// The TLS handshake, after 220 to STARTTLS or at once for implicit TLS. Anything the server
    /// sent after its 220 came before encryption and could be an injection: that ends the session.
    /// </summary>
    /// <exception cref="SmtpProtocolException">The server sent data after its reply to STARTTLS.</exception>
    public async ValueTask<SslStream> StartTlsAsync(SslClientAuthenticationOptions options, TimeSpan timeout, CancellationToken cancellationToken)
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
        var tls = new SslStream(_transport, leaveInnerStreamOpen: true);
        _stream = tls;
        await RunAsync(
            async token =>
            {
                await tls.AuthenticateAsClientAsync(options, token);
                return true;
            },
            timeout,
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
        }
        catch (IOException)
        {
            // Closing a broken connection: nothing left to say.
        }
        await _transport.DisposeAsync();
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
            throw new TimeoutException(_describeTimeout(timeout));
        }
    }

    private static PipeReader CreateReader(Stream stream) =>
        PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
}
