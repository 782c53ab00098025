using System.Net;
using System.Net.Sockets;
using Postern.Core.Milters;
using Postern.Milter.Protocol;

namespace Postern.Milter.Client;

/// <summary>
/// One socket to a milter (inet, inet6 or unix). Writes are buffered until <see cref="FlushAsync"/>
/// (so headers that need no reply go out together); reads are whole frames through the bounded
/// reader. The caller bounds every wait with its cancellation token.
/// </summary>
internal sealed class MilterConnection : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;
    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private readonly BufferedStream _output;
    private readonly MilterFrameReader _reader;

    private MilterConnection(Socket socket)
    {
        _socket = socket;
        _network = new NetworkStream(socket, ownsSocket: true);
        _output = new BufferedStream(_network, BufferSize);
        _reader = new MilterFrameReader(_network);
    }

    /// <summary>Connects to <paramref name="address"/>; a host name is looked up and its addresses tried in turn.</summary>
    /// <exception cref="SocketException">Refused, unreachable or no such host.</exception>
    public static async Task<MilterConnection> OpenAsync(MilterSocketAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Kind == MilterSocketKind.Unix)
        {
            var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await unix.ConnectAsync(new UnixDomainSocketEndPoint(address.Path), cancellationToken);
                return new MilterConnection(unix);
            }
            catch
            {
                unix.Dispose();
                throw;
            }
        }
        var family = address.Kind == MilterSocketKind.Inet6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        var candidates = IPAddress.TryParse(address.Host, out var literal)
            ? [literal]
            : (await Dns.GetHostAddressesAsync(address.Host, family, cancellationToken));
        SocketException? last = null;
        foreach (var candidate in candidates)
        {
            var socket = new Socket(candidate.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(candidate, address.Port), cancellationToken);
                return new MilterConnection(socket);
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
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>Queues one frame (sent at the next flush, or when the buffer fills).</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) => _output.WriteAsync(frame, cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

    /// <summary>The next reply, decoded.</summary>
    /// <exception cref="MilterProtocolException">A bad length or a malformed reply.</exception>
    /// <exception cref="EndOfStreamException">The milter closed the connection.</exception>
    public async ValueTask<MilterReply> ReadAsync(CancellationToken cancellationToken) =>
        MilterReplyParser.Parse(await _reader.ReadAsync(cancellationToken));

    public async ValueTask DisposeAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the milter.
        }
        catch (ObjectDisposedException)
        {
        }
        await _network.DisposeAsync();
    }
}
