using System.Net;
using System.Net.Sockets;
using Postern.Protocol.Client;

namespace Postern.Delivery.Lmtp;

/// <summary>
/// Opens the stream to an LMTP server: a Unix socket, or TCP to each address of the host in turn
/// (a name is looked up as the system does, /etc/hosts first). The whole connect, lookup included,
/// runs under one deadline on the injected clock.
/// </summary>
internal sealed class LmtpConnector
{
    private readonly TimeProvider _time;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _lookup;

    public LmtpConnector(TimeProvider time, Func<string, CancellationToken, Task<IPAddress[]>> lookup)
    {
        _time = time;
        _lookup = lookup;
    }

    /// <exception cref="SocketException">Refused, no such socket, unreachable, unknown host.</exception>
    /// <exception cref="TimeoutException">Not connected within <paramref name="timeout"/>.</exception>
    public async ValueTask<NetworkStream> ConnectAsync(LmtpEndpoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = Deadline.Start(timeout, _time, cancellationToken);
        try
        {
            var socket = endpoint.IsUnixSocket
                ? await ConnectUnixAsync(endpoint.SocketPath!, deadline.Token)
                : await ConnectTcpAsync(endpoint, deadline.Token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"connect timed out after {timeout.TotalSeconds:0.#} s");
        }
    }

    private static async ValueTask<Socket> ConnectUnixAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async ValueTask<Socket> ConnectTcpAsync(LmtpEndpoint endpoint, CancellationToken cancellationToken)
    {
        var addresses = endpoint.Address is { } literal ? [literal] : await _lookup(endpoint.Host!, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}
