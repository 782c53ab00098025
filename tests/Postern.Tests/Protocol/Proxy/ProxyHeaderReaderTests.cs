using System.IO.Pipelines;
using System.Net;
using System.Text;
using Postern.Fuzz.Seeds;
using Postern.Protocol.Proxy;

namespace Postern.Tests.Protocol.Proxy;

public sealed class ProxyHeaderReaderTests
{
    private static readonly IPEndPoint Client = new(IPAddress.Parse("127.0.0.5"), 40000);
    private static readonly IPEndPoint Server = new(IPAddress.Parse("127.0.0.1"), 25);

    public static TheoryData<byte[]> Headers() =>
    [
        ProxyHeaderBytes.V2Tcp(Client, Server),
        ProxyHeaderBytes.V2Tcp(Client, Server, [ProxyHeaderBytes.Tlv(0x02, "mx.example")], checksum: true),
        Encoding.ASCII.GetBytes("PROXY TCP4 127.0.0.5 127.0.0.1 40000 25\r\n"),
    ];

    [Theory]
    [MemberData(nameof(Headers))]
    public async Task Reads_the_header_and_leaves_the_next_bytes_unread(byte[] header)
    {
        byte[] next = [0x16, 0x03, 0x01, .. "EHLO x\r\n"u8];
        using var stream = new MemoryStream([.. header, .. next]);

        var result = await ProxyHeaderReader.ReadAsync(stream, CancellationToken.None);

        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(Client, result.Header!.Source);
        Assert.Equal(header.Length, stream.Position);
    }

    [Theory]
    [MemberData(nameof(Headers))]
    public async Task Reads_a_header_that_arrives_one_byte_at_a_time(byte[] header)
    {
        using var stream = new TricklingStream([.. header, .. "QUIT\r\n"u8]);

        var result = await ProxyHeaderReader.ReadAsync(stream, CancellationToken.None);

        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(header.Length, stream.Position);
    }

    [Fact]
    public async Task Garbage_is_refused_at_its_first_byte()
    {
        using var stream = new TricklingStream("EHLO x\r\n"u8.ToArray());

        var result = await ProxyHeaderReader.ReadAsync(stream, CancellationToken.None);

        Assert.Equal(ProxyParseStatus.Invalid, result.Status);
        Assert.Equal(1, stream.Position);
    }

    [Fact]
    public async Task A_connection_closed_within_the_header_is_refused()
    {
        var header = ProxyHeaderBytes.V2Tcp(Client, Server);
        using var stream = new MemoryStream(header[..20]);

        var result = await ProxyHeaderReader.ReadAsync(stream, CancellationToken.None);

        Assert.Equal(ProxyParseStatus.Invalid, result.Status);
        Assert.Equal("connection closed within a PROXY header after 20 bytes", result.Error);
    }

    [Fact]
    public async Task A_silent_peer_waits_until_cancelled()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync("PROXY TCP4 127."u8.ToArray());
        await using var stream = pipe.Reader.AsStream();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProxyHeaderReader.ReadAsync(stream, cancel.Token));
    }

    /// <summary>Hands out at most one byte per read, as a slow proxy's packets might.</summary>
    private sealed class TricklingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, 1), cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 1)], cancellationToken);
    }
}
