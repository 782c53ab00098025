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
        var (result, rest) = await PipeFeeds.RunAsync(
            Bytes("Subject: x\r\n\r\n.body\r\nBDAT 0 LAST\r\n"),
            mode,
            reader => BdatReader.ReadChunkAsync(reader, 21, destination, 1000, new LineEndNormalizer(), CancellationToken.None).AsTask());

        Assert.Equal(new DataReadResult(21, false, BareLineEnds.None, false, null), result);
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
            reader => BdatReader.ReadChunkAsync(reader, 10, destination, 9, new LineEndNormalizer(), CancellationToken.None).AsTask());

        Assert.Equal(new DataReadResult(0, true, BareLineEnds.None, false, null), result);
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
            reader => BdatReader.ReadChunkAsync(reader, 100, destination, 1000, new LineEndNormalizer(), CancellationToken.None).AsTask());

        Assert.Equal(new DataReadResult(5, false, BareLineEnds.None, true, null), result);
        Assert.Empty(rest);
    }

    [Fact]
    public async Task Write_error_is_recorded_and_the_chunk_still_consumed()
    {
        var reader = PipeReader.Create(ChainedSegment.Create([Bytes("abc"), Bytes("def"), Bytes("ghiNOOP\r\n")]));
        await using var destination = new ThrowingStream();

        var result = await BdatReader.ReadChunkAsync(reader, 9, destination, 1000, new LineEndNormalizer(), CancellationToken.None);

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
        var result = await BdatReader.ReadChunkAsync(reader, 0, Stream.Null, 0, new LineEndNormalizer(), CancellationToken.None);

        Assert.Equal(new DataReadResult(0, false, BareLineEnds.None, false, null), result);
        Assert.Equal("QUIT\r\n", Text(await PipeFeeds.ReadRestAsync(reader)));
    }

    [Fact]
    public async Task Line_endings_are_tracked_across_chunks()
    {
        var reader = PipeReader.Create(new ReadOnlySequence<byte>(Bytes("ab\r\ncd\r\nef\r")));
        var lineEnds = new LineEndNormalizer();
        using var destination = new MemoryStream();

        var first = await BdatReader.ReadChunkAsync(reader, 7, destination, 1000, lineEnds, CancellationToken.None);
        Assert.Equal(BareLineEnds.None, first.BareLineEnds); // "ab\r\ncd\r": the CR may still get its LF
        var second = await BdatReader.ReadChunkAsync(reader, 5, destination, 1000, lineEnds, CancellationToken.None);
        Assert.Equal(BareLineEnds.None, second.BareLineEnds);
        Assert.Equal(new BareLineEnds(0, 1), lineEnds.CompleteMessage()); // message ends in a bare CR
        Assert.Equal("ab\r\ncd\r\nef\r", Text(destination.ToArray()));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Bare_lf_is_written_as_crlf_and_counted(FeedMode mode)
    {
        using var destination = new MemoryStream();
        var (result, rest) = await PipeFeeds.RunAsync(
            Bytes("a\nb\r\n.\nc\nNOOP\r\n"),
            mode,
            reader => BdatReader.ReadChunkAsync(reader, 9, destination, 1000, new LineEndNormalizer(), CancellationToken.None).AsTask());

        Assert.Equal(new DataReadResult(12, false, new BareLineEnds(3, 0), false, null), result);
        Assert.Equal("a\r\nb\r\n.\r\nc\r\n", Text(destination.ToArray()));
        Assert.Equal("NOOP\r\n", Text(rest));
    }

    [Fact]
    public async Task A_large_chunk_of_bare_lfs_is_normalized_in_blocks()
    {
        var content = string.Concat(Enumerable.Repeat("line\n", 20_000)); // 100 KB, several 16 KiB blocks
        var reader = PipeReader.Create(new ReadOnlySequence<byte>(Bytes(content + "QUIT\r\n")));
        using var destination = new MemoryStream();

        var result = await BdatReader.ReadChunkAsync(reader, content.Length, destination, long.MaxValue, new LineEndNormalizer(), CancellationToken.None);

        Assert.Equal(new DataReadResult(content.Length + 20_000, false, new BareLineEnds(20_000, 0), false, null), result);
        Assert.Equal(content.Replace("\n", "\r\n", StringComparison.Ordinal), Text(destination.ToArray()));
    }

    [Fact]
    public async Task Cancellation_propagates()
    {
        var pipe = new Pipe();
        using var cts = new CancellationTokenSource();
        var reading = BdatReader.ReadChunkAsync(pipe.Reader, 10, null, 100, new LineEndNormalizer(), cts.Token).AsTask();
        await pipe.Writer.WriteAsync(Bytes("abc"));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
    }
}
