using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Postern.Protocol.Data;

namespace Postern.Tests.Protocol.Data;

public sealed class BdatReaderTests
{
    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    private static string Text(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    public static TheoryData<FeedMode> Modes => [FeedMode.Whole, FeedMode.ByteByByte, FeedMode.RandomSplits, FeedMode.MultiSegment];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Reads_exactly_the_chunk_and_leaves_the_next_command(FeedMode mode)
    {
        using var destination = new MemoryStream();
        var tracker = new LineEndingTracker();
        var (result, rest) = await PipeFeeds.RunAsync(
            Bytes("Subject: x\r\n\r\n.body\r\nBDAT 0 LAST\r\n"),
            mode,
            reader => BdatReader.ReadChunkAsync(reader, 21, destination, 1000, tracker, CancellationToken.None).AsTask());

        Assert.Equal(new DataReadResult(21, false, false, false, null), result);
        Assert.Equal("Subject: x\r\n\r\n.body\r\n", Text(destination.ToArray()));
        Assert.Equal("BDAT 0 LAST\r\n", Text(rest));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Chunk_over_the_allowance_is_consumed_unwritten(FeedMode mode)
    {
        using var destination = new MemoryStream();
        var (result, rest) = await PipeFeeds.RunAsync(
            Bytes("0123456789QUIT\r\n"),
            mode,
            reader => BdatReader.ReadChunkAsync(reader, 10, destination, 9, new LineEndingTracker(), CancellationToken.None).AsTask());

        Assert.Equal(new DataReadResult(0, true, false, false, null), result);
        Assert.Empty(destination.ToArray());
        Assert.Equal("QUIT\r\n", Text(rest));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task End_of_stream_inside_the_chunk_is_reported(FeedMode mode)
    {
        using var destination = new MemoryStream();
        var (result, rest) = await PipeFeeds.RunAsync(
            Bytes("short"),
            mode,
            reader => BdatReader.ReadChunkAsync(reader, 100, destination, 1000, new LineEndingTracker(), CancellationToken.None).AsTask());

        Assert.Equal(new DataReadResult(5, false, false, true, null), result);
        Assert.Empty(rest);
    }

    [Fact]
    public async Task Write_error_is_recorded_and_the_chunk_still_consumed()
    {
        var reader = PipeReader.Create(ChainedSegment.Create([Bytes("abc"), Bytes("def"), Bytes("ghiNOOP\r\n")]));
        await using var destination = new ThrowingStream();

        var result = await BdatReader.ReadChunkAsync(reader, 9, destination, 1000, new LineEndingTracker(), CancellationToken.None);

        Assert.IsType<IOException>(result.WriteError);
        Assert.Equal(0, result.BytesWritten);
        Assert.False(result.EndOfStream);
        Assert.Equal(1, destination.WriteAttempts);
        Assert.Equal("NOOP\r\n", Text(await PipeFeeds.ReadRestAsync(reader)));
    }

    [Fact]
    public async Task Zero_size_chunk_reads_nothing()
    {
        var reader = PipeReader.Create(new ReadOnlySequence<byte>(Bytes("QUIT\r\n")));
        var result = await BdatReader.ReadChunkAsync(reader, 0, Stream.Null, 0, new LineEndingTracker(), CancellationToken.None);

        Assert.Equal(new DataReadResult(0, false, false, false, null), result);
        Assert.Equal("QUIT\r\n", Text(await PipeFeeds.ReadRestAsync(reader)));
    }

    [Fact]
    public async Task Line_endings_are_tracked_across_chunks()
    {
        var reader = PipeReader.Create(new ReadOnlySequence<byte>(Bytes("ab\r\ncd\r\nef\r")));
        var tracker = new LineEndingTracker();
        using var destination = new MemoryStream();

        var first = await BdatReader.ReadChunkAsync(reader, 7, destination, 1000, tracker, CancellationToken.None);
        Assert.False(first.BareLineEnding); // "ab\r\ncd\r": the CR may still get its LF
        var second = await BdatReader.ReadChunkAsync(reader, 5, destination, 1000, tracker, CancellationToken.None);
        Assert.False(second.BareLineEnding);
        Assert.True(tracker.CompleteMessage()); // message ends in a bare CR
        Assert.Equal("ab\r\ncd\r\nef\r", Text(destination.ToArray()));
    }

    [Fact]
    public async Task Bare_lf_in_a_chunk_is_flagged()
    {
        var reader = PipeReader.Create(new ReadOnlySequence<byte>(Bytes("a\nb")));
        var result = await BdatReader.ReadChunkAsync(reader, 3, null, 1000, new LineEndingTracker(), CancellationToken.None);
        Assert.True(result.BareLineEnding);
        Assert.Equal(0, result.BytesWritten);
    }

    [Fact]
    public async Task Cancellation_propagates()
    {
        var pipe = new Pipe();
        using var cts = new CancellationTokenSource();
        var reading = BdatReader.ReadChunkAsync(pipe.Reader, 10, null, 100, new LineEndingTracker(), cts.Token).AsTask();
        await pipe.Writer.WriteAsync(Bytes("abc"));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
    }
}
