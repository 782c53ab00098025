using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Postern.Core.Smtp;
using Postern.Protocol.Client;

namespace Postern.Tools.Check;

/// <summary>
/// One checker connection: every address of the host in turn, commands one at a time, the socket
/// stream recorded under TLS (<see cref="Raw"/>). The SMTP work (bounded replies, STARTTLS and its
/// injection check) is <see cref="SmtpClientConnection"/>'s; every step runs under the timeout and
/// a timeout surfaces as <see cref="TimeoutException"/>.
/// </summary>
internal sealed class ProbeConnection : IAsyncDisposable
{
    private readonly SmtpClientConnection _connection;
    private readonly TimeSpan _timeout;

    private ProbeConnection(Socket socket, IPAddress address, TimeSpan timeout, TimeProvider time)
    {
        _timeout = timeout;
        Address = address;
        Raw = new RecordingStream(new NetworkStream(socket, ownsSocket: true));
        _connection = new SmtpClientConnection(Raw, time, NoAnswer);
    }

    public IPAddress Address { get; }

    /// <summary>The socket stream, recording the handshake bytes.</summary>
    public RecordingStream Raw { get; }

    public SslStream? Tls => _connection.Tls;

    /// <exception cref="IOException">No address answered (or the name does not resolve).</exception>
    /// <exception cref="TimeoutException">Connecting took longer than the timeout.</exception>
    public static async Task<ProbeConnection> ConnectAsync(CheckTarget target, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(target.Host, timeout, time, cancellationToken);
        Exception? last = null;
        foreach (var address in addresses)
        {
            try
            {
                var socket = await SmtpClientConnection.ConnectAsync(new IPEndPoint(address, target.Port), timeout, time, cancellationToken);
                return new ProbeConnection(socket, address, timeout, time);
            }
            catch (TimeoutException)
            {
                last = new TimeoutException($"[{address}]:{target.Port}: {NoAnswer(timeout)}");
            }
            catch (SocketException e)
            {
                last = new IOException($"[{address}]:{target.Port}: {e.Message}", e);
            }
        }
        throw last ?? new IOException($"{target.Host}: no address");
    }

    public ValueTask<SmtpReply> ReadAsync(CancellationToken cancellationToken) => _connection.ReadAsync(_timeout, cancellationToken);

    public ValueTask<SmtpReply> CommandAsync(string line, CancellationToken cancellationToken) => _connection.CommandAsync(line, _timeout, cancellationToken);

    /// <summary>The TLS handshake (after 220 to STARTTLS, or at once for implicit TLS); the recorder is reset first.</summary>
    /// <exception cref="SmtpProtocolException">The server sent data after its 220 (a plaintext injection).</exception>
    public ValueTask<SslStream> StartTlsAsync(SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        Raw.Mark();
        return _connection.StartTlsAsync(options, _timeout, cancellationToken);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>The host's addresses: a literal as is, a name through DNS under the timeout.</summary>
    private static async ValueTask<IPAddress[]> ResolveAsync(string host, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }
        using var deadline = Deadline.Start(timeout, time, cancellationToken);
        try
        {
            return await Dns.GetHostAddressesAsync(host, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(NoAnswer(timeout));
        }
        catch (SocketException e)
        {
            throw new IOException($"{host}: {e.Message}", e);
        }
    }

    private static string NoAnswer(TimeSpan timeout) =>
        "no answer within " + timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s";
}
