using System.IO.Pipelines;
using System.Text;
using Postern.Protocol.Data;

namespace Postern.Tests.Protocol.Data;

public sealed class DotDataReaderTests
{
    private static readonly FeedMode[] AllModes = [FeedMode.Whole, FeedMode.ByteByByte, FeedMode.RandomSplits, FeedMode.MultiSegment];

    private sealed record Outcome(DataReadResult Result, string Content, string Rest);

    private static byte[] Bytes(string wire) => Encoding.Latin1.GetBytes(wire);

    private static string Text(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    private static async Task<Outcome> ReadAsync(byte[] wire, FeedMode mode, long maxBytes, int seed = 1)
    {
        using var destination = new MemoryStream();
        var (result, rest) = await PipeFeeds.RunAsync(
            wire, mode, reader => DotDataReader.ReadAsync(reader, destination, maxBytes, CancellationToken.None).AsTask(), seed);
        return new Outcome(result, Text(destination.ToArray()), Text(rest));
    }

    /// <summary>Reads <paramref name="wire"/> fed whole, byte by byte, in random pieces (several seeds)
    /// and as a multi-segment sequence; every way must give the same result.</summary>
    private static async Task<Outcome> ReadAllWaysAsync(string wire, long maxBytes = 1_000_000)
    {
        var bytes = Bytes(wire);
        var expected = await ReadAsync(bytes, FeedMode.Whole, maxBytes);
        foreach (var mode in AllModes)
        {
            for (var seed = 1; seed <= (mode is FeedMode.RandomSplits or FeedMode.MultiSegment ? 4 : 1); seed++)
            {
                var actual = await ReadAsync(bytes, mode, maxBytes, seed);
                Assert.Equal(expected, actual);
            }
        }
        return expected;
    }

    private static DataReadResult Clean(long written) => new(written, false, BareLineEnds.None, false, null);

    [Fact]
    public async Task Plain_message_ends_at_the_marker_and_leaves_pipelined_commands()
    {
        var outcome = await ReadAllWaysAsync("Subject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n");

        Assert.Equal("Subject: hi\r\n\r\nbody\r\n", outcome.Content);
        Assert.Equal(Clean(outcome.Content.Length), outcome.Result);
        Assert.Equal("QUIT\r\n", outcome.Rest);
    }

    [Theory]
    [InlineData("..x\r\n.\r\n", ".x\r\n")]
    [InlineData("a\r\n..\r\n.\r\n", "a\r\n.\r\n")]
    [InlineData("a\r\n...\r\n.\r\n", "a\r\n..\r\n")]
    [InlineData("a\r\n.x\r\n.\r\n", "a\r\nx\r\n")]
    [InlineData("a.\r\nx . y\r\nz.\r\n.\r\n", "a.\r\nx . y\r\nz.\r\n")]
    [InlineData("a\r\n..\r\n..\r\n.\r\n", "a\r\n.\r\n.\r\n")]
    [InlineData("\r\n\r\n.\r\n", "\r\n\r\n")]
    public async Task Dot_stuffing_is_removed_only_at_line_starts(string wire, string content)
    {
        var outcome = await ReadAllWaysAsync(wire);
        Assert.Equal(content, outcome.Content);
        Assert.Equal(Clean(content.Length), outcome.Result);
        Assert.Equal("", outcome.Rest);
    }

    [Theory]
    [InlineData(".\r\n", "")]
    [InlineData(".\r\nQUIT\r\n", "QUIT\r\n")]
    public async Task Empty_message(string wire, string rest)
    {
        var outcome = await ReadAllWaysAsync(wire);
        Assert.Equal("", outcome.Content);
        Assert.Equal(Clean(0), outcome.Result);
        Assert.Equal(rest, outcome.Rest);
    }

    // Only a true CRLF "." CRLF ends the data. A bare LF is a line end written as CRLF; a lone "."
    // line next to a bare LF is dropped (as Postfix's normalize does); a bare CR stays content.
    [Theory]
    [InlineData("a\n.\nMAIL FROM:<e@x>\r\n.\r\nQUIT\r\n", "a\r\nMAIL FROM:<e@x>\r\n", 2, 0)]
    [InlineData("a\r.\nMAIL FROM:<e@x>\r\n.\r\nQUIT\r\n", "a\r.\r\nMAIL FROM:<e@x>\r\n", 1, 1)]
    [InlineData("a\n.\r\nMAIL FROM:<e@x>\r\n.\r\nQUIT\r\n", "a\r\nMAIL FROM:<e@x>\r\n", 1, 0)]
    [InlineData("a\r\n.\rMAIL FROM:<e@x>\r\n.\r\nQUIT\r\n", "a\r\n\rMAIL FROM:<e@x>\r\n", 0, 1)]
    [InlineData("a\r\n.\nMAIL FROM:<e@x>\r\n.\r\nQUIT\r\n", "a\r\nMAIL FROM:<e@x>\r\n", 1, 0)]
    [InlineData("a\r\n.\r\rMAIL FROM:<e@x>\r\n.\r\nQUIT\r\n", "a\r\n\r\rMAIL FROM:<e@x>\r\n", 0, 2)]
    [InlineData("a\r\n.\r\r\nMAIL FROM:<e@x>\r\n.\r\nQUIT\r\n", "a\r\n\r\r\nMAIL FROM:<e@x>\r\n", 0, 1)]
    [InlineData(".\nMAIL FROM:<e@x>\r\n.\r\nQUIT\r\n", "MAIL FROM:<e@x>\r\n", 1, 0)]
    [InlineData(".\rMAIL FROM:<e@x>\r\n.\r\nQUIT\r\n", "\rMAIL FROM:<e@x>\r\n", 0, 1)]
    [InlineData("\n.\r\nMAIL FROM:<e@x>\r\n.\r\nQUIT\r\n", "\r\nMAIL FROM:<e@x>\r\n", 1, 0)]
    [InlineData("a\n.\n.\r\nMAIL FROM:<e@x>\r\n.\r\nQUIT\r\n", "a\r\nMAIL FROM:<e@x>\r\n", 2, 0)]
    [InlineData("a\r\r\n.\r\nQUIT\r\n", "a\r\r\n", 0, 1)]
    [InlineData("a\r.\r\n.\r\nQUIT\r\n", "a\r.\r\n", 0, 1)]
    [InlineData("a\n\r\n.\r\nQUIT\r\n", "a\r\n\r\n", 1, 0)]
    public async Task Smuggling_variants_never_end_the_data_and_are_counted(string wire, string content, long lineFeeds, long carriageReturns)
    {
        var outcome = await ReadAllWaysAsync(wire);

        Assert.Equal(content, outcome.Content);
        Assert.Equal(new DataReadResult(content.Length, false, new BareLineEnds(lineFeeds, carriageReturns), false, null), outcome.Result);
        Assert.Equal("QUIT\r\n", outcome.Rest);
    }

    [Theory]
    [InlineData("a\nb\n\r\n.\r\nQUIT\r\n", "a\r\nb\r\n\r\n", 2)]
    [InlineData("a\n..x\n.\r\n.\r\nQUIT\r\n", "a\r\n.x\r\n", 2)]
    [InlineData("Subject: s\n\nbody\n\r\n.\r\nQUIT\r\n", "Subject: s\r\n\r\nbody\r\n\r\n", 3)]
    public async Task Bare_lf_is_a_line_end_written_as_crlf_and_dots_after_it_are_unstuffed(string wire, string content, long lineFeeds)
    {
        var outcome = await ReadAllWaysAsync(wire);

        Assert.Equal(content, outcome.Content);
        Assert.Equal(new DataReadResult(content.Length, false, new BareLineEnds(lineFeeds, 0), false, null), outcome.Result);
        Assert.Equal("QUIT\r\n", outcome.Rest);
    }

    [Fact]
    public async Task A_client_ending_with_lf_dot_lf_has_not_ended_the_data()
    {
        var outcome = await ReadAllWaysAsync("old script\n.\n");

        Assert.True(outcome.Result.EndOfStream);
        Assert.Equal("old script\r\n", outcome.Content);
    }

    [Fact]
    public async Task Over_size_content_is_flagged_and_consumed_to_the_marker()
    {
        var body = string.Concat(Enumerable.Repeat("0123456789\r\n", 10));
        var outcome = await ReadAllWaysAsync(body + ".\r\nQUIT\r\n", maxBytes: 25);

        Assert.Equal(new DataReadResult(25, true, BareLineEnds.None, false, null), outcome.Result);
        Assert.Equal(body[..25], outcome.Content);
        Assert.Equal("QUIT\r\n", outcome.Rest);
    }

    [Fact]
    public async Task Content_exactly_at_the_limit_is_not_too_large()
    {
        var outcome = await ReadAllWaysAsync("12345678\r\n.\r\n", maxBytes: 10);
        Assert.Equal(Clean(10), outcome.Result);

        outcome = await ReadAllWaysAsync("123456789\r\n.\r\n", maxBytes: 10);
        Assert.True(outcome.Result.TooLarge);
    }

    [Fact]
    public async Task Bare_line_ending_after_the_size_limit_is_still_flagged()
    {
        var outcome = await ReadAllWaysAsync("0123456789\r\nabc\ndef\r\n.\r\nQUIT\r\n", maxBytes: 5);
        Assert.True(outcome.Result.TooLarge);
        Assert.Equal(new BareLineEnds(1, 0), outcome.Result.BareLineEnds);
        Assert.Equal("QUIT\r\n", outcome.Rest);
    }

    [Fact]
    public async Task Write_error_is_recorded_and_the_data_still_consumed_to_the_marker()
    {
        var body = string.Concat(Enumerable.Repeat("a line of text to fill the buffer\r\n", 3000)); // > one 32 KiB chunk
        var reader = PipeReader.Create(new System.Buffers.ReadOnlySequence<byte>(Bytes(body + ".\r\nNOOP\r\n")));
        await using var destination = new ThrowingStream();

        var result = await DotDataReader.ReadAsync(reader, destination, long.MaxValue, CancellationToken.None);

        Assert.IsType<IOException>(result.WriteError);
        Assert.Equal(0, result.BytesWritten);
        Assert.False(result.EndOfStream);
        Assert.False(result.TooLarge);
        Assert.Equal(1, destination.WriteAttempts);
        Assert.Equal("NOOP\r\n", Text(await PipeFeeds.ReadRestAsync(reader)));
    }

    [Theory]
    [InlineData("abc\r\n", "abc\r\n")]
    [InlineData("abc\r\n.\r", "abc\r\n")]
    [InlineData("abc\r\n.", "abc\r\n")]
    [InlineData("", "")]
    public async Task End_of_stream_before_the_marker_is_reported(string wire, string content)
    {
        var outcome = await ReadAllWaysAsync(wire);
        Assert.Equal(new DataReadResult(content.Length, false, BareLineEnds.None, true, null), outcome.Result);
        Assert.Equal(content, outcome.Content);
    }

    [Fact]
    public async Task Without_a_destination_the_data_is_only_consumed()
    {
        var reader = PipeReader.Create(new System.Buffers.ReadOnlySequence<byte>(Bytes("x\r\n..y\r\n.\r\nRSET\r\n")));
        var result = await DotDataReader.ReadAsync(reader, null, 1000, CancellationToken.None);

        Assert.Equal(Clean(0), result);
        Assert.Equal("RSET\r\n", Text(await PipeFeeds.ReadRestAsync(reader)));
    }

    [Fact]
    public async Task Consecutive_messages_in_one_reader_are_read_one_at_a_time()
    {
        var reader = PipeReader.Create(new System.Buffers.ReadOnlySequence<byte>(Bytes("one\r\n.\r\n.two\r\n.\r\n.\r\n")));
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        using var third = new MemoryStream();

        Assert.Equal(Clean(5), await DotDataReader.ReadAsync(reader, first, 100, CancellationToken.None));
        Assert.Equal(Clean(5), await DotDataReader.ReadAsync(reader, second, 100, CancellationToken.None));
        Assert.Equal(Clean(0), await DotDataReader.ReadAsync(reader, third, 100, CancellationToken.None));
        Assert.Equal("one\r\n", Text(first.ToArray()));
        Assert.Equal("two\r\n", Text(second.ToArray()));
        Assert.Empty(await PipeFeeds.ReadRestAsync(reader));
    }

    [Fact]
    public async Task Large_stuffed_message_round_trips_in_every_feed()
    {
        var (content, wire) = StuffedMessage(seed: 42, approximateSize: 200_000);
        foreach (var mode in new[] { FeedMode.Whole, FeedMode.RandomSplits, FeedMode.MultiSegment })
        {
            var outcome = await ReadAsync(Bytes(wire + "QUIT\r\n"), mode, long.MaxValue, seed: 7);
            Assert.Equal(Clean(content.Length), outcome.Result);
            Assert.Equal(content, outcome.Content);
            Assert.Equal("QUIT\r\n", outcome.Rest);
        }
    }

    [Fact]
    public async Task Message_crossing_a_buffer_boundary_round_trips_byte_by_byte()
    {
        var (content, wire) = StuffedMessage(seed: 3, approximateSize: 40_000);
        var outcome = await ReadAsync(Bytes(wire + "QUIT\r\n"), FeedMode.ByteByByte, long.MaxValue);
        Assert.Equal(Clean(content.Length), outcome.Result);
        Assert.Equal(content, outcome.Content);
        Assert.Equal("QUIT\r\n", outcome.Rest);
    }

    [Fact]
    public async Task Cancellation_propagates()
    {
        var pipe = new Pipe();
        using var cts = new CancellationTokenSource();
        var reading = DotDataReader.ReadAsync(pipe.Reader, null, 100, cts.Token).AsTask();
        await pipe.Writer.WriteAsync(Bytes("partial line"));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
    }

    [Fact]
    public async Task Cancelled_pending_read_propagates_as_cancellation()
    {
        var pipe = new Pipe();
        var reading = DotDataReader.ReadAsync(pipe.Reader, null, 100, CancellationToken.None).AsTask();
        pipe.Reader.CancelPendingRead();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
    }

    // A random message of CRLF lines, many starting with dots, and its dot-stuffed wire form.
    private static (string Content, string Wire) StuffedMessage(int seed, int approximateSize)
    {
        var random = new Random(seed);
        var content = new StringBuilder();
        var wire = new StringBuilder();
        while (content.Length < approximateSize)
        {
            var line = new StringBuilder();
            var length = random.Next(0, 120);
            for (var i = 0; i < length; i++)
            {
                line.Append(random.Next(6) == 0 ? '.' : (char)random.Next('a', 'z' + 1));
            }
            var text = line.ToString();
            content.Append(text).Append("\r\n");
            wire.Append(text.StartsWith('.') ? "." : "").Append(text).Append("\r\n");
        }
        return (content.ToString(), wire.Append(".\r\n").ToString());
    }
}
