using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Postern.Pki.Acme.Dns;

/// <summary>
/// One request and its answer with one DNS server: UDP first (sent up to three times, a few
/// seconds apart), TCP when the answer is truncated or UDP gets nothing (RFC 7766 5), each read
/// bounded (a UDP datagram, a TCP message of at most 65535 octets) and all of it under a deadline.
/// </summary>
internal sealed class DnsTransport(IPEndPoint server, TimeProvider time)
{
    private const int UdpTries = 3;
    private static readonly TimeSpan UdpWait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public IPEndPoint Server => server;

    public async Task<byte[]> ExchangeAsync(byte[] request, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(Deadline, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var answer = await UdpAsync(request, linked.Token);
            if (answer is not null && !IsTruncated(answer))
            {
                return answer;
            }
            return await TcpAsync(request, linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new DnsUpdateException($"no answer from {server} within {Deadline.TotalSeconds:0} s");
        }
        catch (SocketException e)
        {
            throw new DnsUpdateException($"{server}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new DnsUpdateException($"{server} closed the TCP connection before its answer was complete", e);
        }
    }

    private async Task<byte[]?> UdpAsync(byte[] request, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, cancellationToken);
        var buffer = new byte[65535];
        var id = BinaryPrimitives.ReadUInt16BigEndian(request);
        for (var attempt = 0; attempt < UdpTries; attempt++)
        {
            await socket.SendAsync(request, SocketFlags.None, cancellationToken);
            using var wait = new CancellationTokenSource(UdpWait, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wait.Token);
            try
            {
                while (true)
                {
                    var received = await socket.ReceiveAsync(buffer, SocketFlags.None, linked.Token);
                    // A connected socket hears only the server; a datagram with another ID is a stale answer.
                    if (received >= 2 && BinaryPrimitives.ReadUInt16BigEndian(buffer) == id)
                    {
                        return buffer[..received];
                    }
                }
            }
            catch (OperationCanceledException) when (wait.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Lost on the way: send again.
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                // ICMP port unreachable: nothing listens on UDP; TCP may still answer.
                return null;
            }
        }
        return null;
    }

    private async Task<byte[]> TcpAsync(byte[] request, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var framed = new byte[2 + request.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)request.Length);
        request.CopyTo(framed, 2);
        await stream.WriteAsync(framed, cancellationToken);
        var length = new byte[2];
        await stream.ReadExactlyAsync(length, cancellationToken);
        var answer = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
        await stream.ReadExactlyAsync(answer, cancellationToken);
        return answer;
    }

    private static bool IsTruncated(byte[] answer) => answer.Length >= 4 && (answer[2] & 0x02) != 0;
}
