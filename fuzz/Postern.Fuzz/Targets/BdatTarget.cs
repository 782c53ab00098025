using Postern.Protocol.Commands;
using Postern.Protocol.Data;

namespace Postern.Fuzz.Targets;

/// <summary>
/// BDAT as the session runs it: a command line, then exactly the announced bytes, repeated. Each
/// chunk is read whole and three bytes at a time with the same result; the reader takes exactly
/// the announced size (or all there is when the input ends first); chunks past the allowance are
/// consumed unwritten, one within it written with each bare LF made CR LF; and the bare CR and LF
/// counts agree with a plain scan of the message.
/// </summary>
internal static class BdatTarget
{
    private const long Allowance = 2048;

    private const int MaxCommandLine = 1000;

    public static void Run(byte[] input)
    {
        var position = 0;
        var whole = new LineEndNormalizer();
        var trickled = new LineEndNormalizer();
        var message = new List<byte>();
        long written = 0;
        while (position < input.Length)
        {
            var lf = Array.IndexOf(input, (byte)'\n', position, Math.Min(MaxCommandLine, input.Length - position));
            if (lf < 0)
            {
                return;
            }
            var line = input.AsSpan(position, lf - position).TrimEnd((byte)'\r');
            position = lf + 1;
            var command = SmtpCommandParser.Parse(line);
            if (command.Verb != SmtpVerb.Bdat || !BdatParser.ParseBdat(command.Argument).IsSuccess)
            {
                continue;
            }
            var bdat = BdatParser.ParseBdat(command.Argument).Value!;
            var rest = input[position..];
            var a = ReadChunk(PipeInput.Whole(rest), bdat.Size, Allowance - written, whole);
            var b = ReadChunk(PipeInput.Trickled(rest), bdat.Size, Allowance - written, trickled);
            FuzzInvariantException.Require(a.Result == b.Result, $"the chunk's result does not depend on how the bytes arrive: {a.Result} vs {b.Result}");
            FuzzInvariantException.Require(a.Written.AsSpan().SequenceEqual(b.Written) && a.Left.AsSpan().SequenceEqual(b.Left), "the chunk's bytes do not depend on how they arrive");
            var consumed = rest.Length - a.Left.Length;
            FuzzInvariantException.Require(a.Result.EndOfStream ? consumed == rest.Length && consumed < bdat.Size : consumed == bdat.Size, "the reader takes exactly the announced size");
            var chunk = rest.AsSpan(0, consumed);
            var tooLarge = bdat.Size > Allowance - written;
            FuzzInvariantException.Require(a.Result.TooLarge == tooLarge, "a chunk over the allowance is flagged");
            var normalized = Normalized(message, chunk);
            FuzzInvariantException.Require(a.Written.AsSpan().SequenceEqual(tooLarge ? [] : normalized), "a chunk within the allowance is written with bare LFs made CR LF, one over it not at all");
            // The allowance shrinks by the bytes written, as the session counts them against the message size.
            written += a.Result.BytesWritten;
            message.AddRange(chunk);
            position += consumed;
            if (bdat.Last || a.Result.EndOfStream)
            {
                var bare = whole.CompleteMessage();
                FuzzInvariantException.Require(bare == trickled.CompleteMessage(), "the counts do not depend on how the bytes arrive");
                FuzzInvariantException.Require(bare == CountBareLineEnds(message), "the counts are the message's bare LFs and bare CRs");
                whole = new LineEndNormalizer();
                trickled = new LineEndNormalizer();
                message.Clear();
                written = 0;
            }
        }
    }

    private static BareLineEnds CountBareLineEnds(List<byte> message)
    {
        long lineFeeds = 0;
        long carriageReturns = 0;
        for (var i = 0; i < message.Count; i++)
        {
            if (message[i] == (byte)'\n' && (i == 0 || message[i - 1] != (byte)'\r'))
            {
                lineFeeds++;
            }
            if (message[i] == (byte)'\r' && (i + 1 == message.Count || message[i + 1] != (byte)'\n'))
            {
                carriageReturns++;
            }
        }
        return new BareLineEnds(lineFeeds, carriageReturns);
    }

    /// <summary>The chunk as it should be written: each LF without a CR before it (in this chunk or the message so far) becomes CR LF.</summary>
    private static byte[] Normalized(List<byte> before, ReadOnlySpan<byte> chunk)
    {
        var output = new List<byte>(chunk.Length);
        var previous = before.Count > 0 ? before[^1] : (byte)0;
        foreach (var b in chunk)
        {
            if (b == (byte)'\n' && previous != (byte)'\r')
            {
                output.Add((byte)'\r');
            }
            output.Add(b);
            previous = b;
        }
        return [.. output];
    }

    private static (DataReadResult Result, byte[] Written, byte[] Left) ReadChunk(System.IO.Pipelines.PipeReader reader, long size, long allowance, LineEndNormalizer tracker)
    {
        using var destination = new MemoryStream();
        var result = BdatReader.ReadChunkAsync(reader, size, destination, allowance, tracker, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return (result, destination.ToArray(), PipeInput.Rest(reader));
    }
}
