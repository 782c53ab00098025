using Postern.Server.Connections;

namespace Postern.Tests.Server.Connections;

public sealed class ReadObservingStreamTests
{
    [Fact]
    public async Task Held_writes_reach_the_inner_stream_only_when_sent_and_then_in_one_write()
    {
        var inner = new CountingStream();
        await using var stream = new PassThrough(inner);
        await stream.WriteAsync("before "u8.ToArray());
        stream.HoldWrites();
        await stream.WriteAsync("221 bye\r\n"u8.ToArray());
        await stream.FlushAsync();
        await stream.WriteAsync("alert"u8.ToArray());
        Assert.Equal(1, inner.Writes);

        await stream.SendHeldAsync(CancellationToken.None);
        await stream.WriteAsync(" after"u8.ToArray());

        Assert.Equal(3, inner.Writes);
        Assert.Equal("before 221 bye\r\nalert after", System.Text.Encoding.ASCII.GetString(inner.ToArray()));
    }

    private sealed class PassThrough(Stream inner) : ReadObservingStream(inner)
    {
        protected override void OnRead(ReadOnlySpan<byte> data)
        {
        }
    }

    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
