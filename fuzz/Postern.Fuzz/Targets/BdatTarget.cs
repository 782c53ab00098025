using Postern.Protocol.Commands;
using Postern.Protocol.Data;

namespace Postern.Fuzz.Targets;

/// <summary>
/// BDAT as the session runs it: a command line, then exactly the announced bytes, repeated. Each
/// chunk is read whole and three bytes at a time with the same result; the reader takes exactly
/// the announced size (or all there is when the input ends first); chunks past the allowance are
/// consumed unwritten; and the bare CR/LF tracker agrees with a plain scan of the message.
/// </summary>
internal static class BdatTarget
{
    private const long Allowance = 2048;

    private const int MaxCommandLine = 1000;

    public static void Run(byte[] input)
    {
        var position = 0;
        var whole = new LineEndingTracker();
        var trickled = new LineEndingTracker();
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
            FuzzInvariantException.Require(a.Written.AsSpan().SequenceEqual(tooLarge ? [] : chunk), "a chunk within the allowance is written as it came, one over it not at all");
            written += a.Result.BytesWritten;
            message.AddRange(chunk);
            position += consumed;
            if (bdat.Last || a.Result.EndOfStream)
            {
                var bare = whole.CompleteMessage();
                FuzzInvariantException.Require(bare == trickled.CompleteMessage(), "the tracker does not depend on how the bytes arrive");
                FuzzInvariantException.Require(bare == HasBareLineEnding(message), "the tracker finds a bare CR or LF exactly when there is one");
                whole.Reset();
                trickled.Reset();
                message.Clear();
                written = 0;
            }
        }
    }

    private static bool HasBareLineEnding(List<byte> message)
    {
        for (var i = 0; i < message.Count; i++)
        {
            var bareLf = message[i] == (byte)'\n' && (i == 0 || message[i - 1] != (byte)'\r');
            var bareCr = message[i] == (byte)'\r' && (i + 1 == message.Count || message[i + 1] != (byte)'\n');
            if (bareLf || bareCr)
            {
                return true;
            }
        }
        return false;
    }

    private static (DataReadResult Result, byte[] Written, byte[] Left) ReadChunk(System.IO.Pipelines.PipeReader reader, long size, long allowance, LineEndingTracker tracker)
    {
        using var destination = new MemoryStream();
        var result = BdatReader.ReadChunkAsync(reader, size, destination, allowance, tracker, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return (result, destination.ToArray(), PipeInput.Rest(reader));
    }
}
