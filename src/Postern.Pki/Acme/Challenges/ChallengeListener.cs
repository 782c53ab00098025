using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Postern.Pki.Acme.Challenges;

/// <summary>
/// The TCP listener under the http-01 and tls-alpn-01 responders: binds like the SMTP listeners
/// (SO_REUSEADDR, never SO_REUSEPORT, dual-stack for <c>*</c>), accepts at most
/// <see cref="MaxConnections"/> connections at once (more are closed at once: an ACME server
/// validates from a handful of vantage points), and gives each connection a deadline.
/// </summary>
internal sealed class ChallengeListener : IAsyncDisposable
{
    public const int MaxConnections = 32;
    public static readonly TimeSpan ConnectionDeadline = TimeSpan.FromSeconds(10);

    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;
    private const int Backlog = 64;

    private readonly Socket _socket;
    private readonly Func<Socket, CancellationToken, Task> _handle;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, bool> _connections = new();
    private int _open;

    private ChallengeListener(Socket socket, Func<Socket, CancellationToken, Task> handle, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _handle = handle;
        _time = time;
        _logger = logger;
        _accepting = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Where the listener is bound (the real port when the configuration said 0).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Binds <paramref name="endPoint"/> and starts accepting; <paramref name="setting"/> names the configuration key in errors.</summary>
    /// <exception cref="ChallengeBindException">The address cannot be bound.</exception>
    public static ChallengeListener Start(IPEndPoint endPoint, string setting, Func<Socket, CancellationToken, Task> handle, TimeProvider time, ILogger logger)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            socket.Bind(endPoint);
            socket.Listen(Backlog);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ChallengeBindException($"{setting} ({endPoint}): {Describe(e)}", e);
        }
        return new ChallengeListener(socket, handle, time, logger);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                ChallengeLog.AcceptFailed(_logger, LocalEndPoint, e.Message);
                continue;
            }
            if (Interlocked.Increment(ref _open) > MaxConnections)
            {
                Interlocked.Decrement(ref _open);
                client.Dispose();
                continue;
            }
            var connection = Task.Run(() => ServeAsync(client));
            _connections[connection] = true;
            _ = connection.ContinueWith(done => _connections.TryRemove(done, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var deadline = new CancellationTokenSource(ConnectionDeadline, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, _stopping.Token);
        try
        {
            await _handle(client, linked.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            // A client that went away, stalled past the deadline or failed the handshake: nothing to answer.
            ChallengeLog.ConnectionEnded(_logger, client.RemoteEndPoint, e.Message);
        }
        finally
        {
            client.Dispose();
            Interlocked.Decrement(ref _open);
        }
    }

    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => "address already in use",
        SocketError.AddressNotAvailable => "address not available on this host",
        SocketError.AccessDenied => "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)",
        _ => e.Message,
    };

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket.Dispose();
        await _accepting;
        // Every connection sees the cancellation and ends; wait for them so none outlives the token.
        await Task.WhenAll(_connections.Keys);
        _stopping.Dispose();
    }
}
