// The array overloads are what some of these tests exercise.
#pragma warning disable CA1835, CA2022

using Postern.Core.IO;

namespace Postern.Tests.Core.IO;

public sealed class PassThroughStreamTests
{
    [Fact]
    public async Task Every_call_reaches_the_inner_stream()
    {
        var inner = new MemoryStream();
        await using var stream = new Counting(inner, ownsInner: false);
        await stream.WriteAsync("abc"u8.ToArray());
        await stream.WriteAsync("def"u8.ToArray(), 0, 3);
        stream.Write("gh"u8);
        await stream.FlushAsync();
        Assert.True(stream.CanRead && stream.CanWrite && stream.CanSeek);
        Assert.Equal(8, stream.Length);
        stream.Position = 0;
        var buffer = new byte[8];
        Assert.Equal(3, await stream.ReadAsync(buffer.AsMemory(0, 3)));
        Assert.Equal(3, await stream.ReadAsync(buffer, 3, 3));
        Assert.Equal(2, stream.Read(buffer, 6, 2));
        Assert.Equal("abcdefgh"u8.ToArray(), buffer);
        Assert.Equal(2, stream.Seek(2, SeekOrigin.Begin));
        stream.SetLength(4);
        Assert.Equal(4, inner.Length);
    }

    [Fact]
    public async Task The_array_overloads_come_through_the_memory_overloads_a_subclass_watches()
    {
        await using var stream = new Counting(new MemoryStream(), ownsInner: false);
        await stream.WriteAsync("abc"u8.ToArray(), 0, 3);
        stream.Position = 0;
        await stream.ReadAsync(new byte[3], 0, 3);
        Assert.Equal((3, 3), (stream.Written, stream.ReadCount));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Disposing_disposes_the_inner_stream_only_when_it_owns_it(bool owns)
    {
        var inner = new MemoryStream();
        new Counting(inner, owns).Dispose();
        Assert.Equal(owns, !inner.CanRead);
        var other = new MemoryStream();
        await new Counting(other, owns).DisposeAsync();
        Assert.Equal(owns, !other.CanRead);
    }

    private sealed class Counting(Stream inner, bool ownsInner) : PassThroughStream(inner, ownsInner)
    {
        public int Written { get; private set; }

        public int ReadCount { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await Inner.ReadAsync(buffer, cancellationToken);
            ReadCount += read;
            return read;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written += buffer.Length;
            return Inner.WriteAsync(buffer, cancellationToken);
        }
    }
}
