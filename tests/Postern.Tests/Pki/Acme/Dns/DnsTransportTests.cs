using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Postern.Pki.Acme.Dns;

namespace Postern.Tests.Pki.Acme.Dns;

/// <summary>The update transport against a scripted server on loopback: UDP, and TCP when UDP's answer is truncated or nothing listens on UDP.</summary>
public sealed class DnsTransportTests
{
    private static readonly byte[] Request = DnsUpdateMessage.AddTxt(0x4242, "example.org", "_acme-challenge.example.org", "v");

    [Fact]
    public async Task A_udp_answer_is_taken()
    {
        using var udp = BindUdp(out var endPoint);
        var serving = AnswerUdpAsync(udp, truncated: false);

        var answer = await new DnsTransport(endPoint, TimeProvider.System).ExchangeAsync(Request, CancellationToken.None);

        await serving;
        Assert.Equal(0x4242, DnsMessageReader.Read(answer).Id);
        Assert.False(DnsMessageReader.Read(answer).IsTruncated);
    }

    [Fact]
    public async Task A_truncated_udp_answer_is_asked_again_over_tcp()
    {
        using var udp = BindUdp(out var endPoint);
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tcp.Bind(endPoint);
        tcp.Listen(1);
        var udpServing = AnswerUdpAsync(udp, truncated: true);
        var tcpServing = AnswerTcpAsync(tcp);

        var answer = await new DnsTransport(endPoint, TimeProvider.System).ExchangeAsync(Request, CancellationToken.None);

        await udpServing;
        Assert.Equal(Request, await tcpServing);
        var message = DnsMessageReader.Read(answer);
        Assert.False(message.IsTruncated);
        Assert.Single(message.Additionals);
    }

    [Fact]
    public async Task Tcp_is_tried_when_nothing_listens_on_udp()
    {
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        tcp.Listen(1);
        var tcpServing = AnswerTcpAsync(tcp);

        var answer = await new DnsTransport((IPEndPoint)tcp.LocalEndPoint!, TimeProvider.System).ExchangeAsync(Request, CancellationToken.None);

        Assert.Equal(Request, await tcpServing);
        Assert.Equal(0x4242, DnsMessageReader.Read(answer).Id);
    }

    [Fact]
    public async Task A_server_that_never_answers_on_udp_or_tcp_is_an_update_error_at_the_deadline()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var udp = BindUdp(out var endPoint);
        // TCP connects (the kernel completes the handshake from the backlog) and then hears nothing.
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tcp.Bind(endPoint);
        tcp.Listen(1);
        var exchange = new DnsTransport(endPoint, time).ExchangeAsync(Request, CancellationToken.None);

        for (var i = 0; i < 200 && !exchange.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(exchange, Task.Delay(20));
        }

        var e = await Assert.ThrowsAsync<DnsUpdateException>(() => exchange);
        Assert.StartsWith($"no answer from {endPoint} within 15 s", e.Message, StringComparison.Ordinal);
    }

    private static Socket BindUdp(out IPEndPoint endPoint)
    {
        var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        endPoint = (IPEndPoint)udp.LocalEndPoint!;
        return udp;
    }

    /// <summary>Answers one datagram with the request turned into a response (QR set), TC as asked, the additional record only when not truncated.</summary>
    private static async Task AnswerUdpAsync(Socket udp, bool truncated)
    {
        var buffer = new byte[65535];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        var received = await udp.ReceiveFromAsync(buffer, SocketFlags.None, from).WaitAsync(TimeSpan.FromSeconds(10));
        var answer = Answer(buffer[..received.ReceivedBytes], truncated);
        await udp.SendToAsync(answer, SocketFlags.None, received.RemoteEndPoint);
    }

    private static async Task<byte[]> AnswerTcpAsync(Socket listener)
    {
        using var client = await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await using var stream = new NetworkStream(client);
        var length = new byte[2];
        await stream.ReadExactlyAsync(length);
        var request = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
        await stream.ReadExactlyAsync(request);
        var answer = WithAdditional(Answer(request, truncated: false));
        var framed = new byte[2 + answer.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)answer.Length);
        answer.CopyTo(framed, 2);
        await stream.WriteAsync(framed);
        return request;
    }

    private static byte[] Answer(byte[] request, bool truncated)
    {
        var answer = (byte[])request.Clone();
        answer[2] |= 0x80;
        if (truncated)
        {
            answer[2] |= 0x02;
        }
        return answer;
    }

    /// <summary>Adds an empty-named TXT record to the additional section: what only the TCP answer has.</summary>
    private static byte[] WithAdditional(byte[] answer)
    {
        byte[] extended = [.. answer, 0, 0, 16, 0, 1, 0, 0, 0, 0, 0, 0];
        extended[11]++;
        return extended;
    }
}
