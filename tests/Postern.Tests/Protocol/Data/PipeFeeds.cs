using System.Buffers;
using System.IO.Pipelines;

namespace Postern.Tests.Protocol.Data;

/// <summary>Runs a body reader over input fed in a given <see cref="FeedMode"/>.</summary>
internal static class PipeFeeds
{
    private const int Seed = 5321;

    /// <summary>Splits <paramref name="input"/> into seeded random pieces (bounded count: at most input length).</summary>
    public static List<byte[]> Split(byte[] input, int seed, int maxPiece)
    {
        var random = new Random(seed);
        var pieces = new List<byte[]>();
        var offset = 0;
        while (offset < input.Length)
        {
            var length = Math.Min(random.Next(1, maxPiece + 1), input.Length - offset);
            pieces.Add(input[offset..(offset + length)]);
            offset += length;
        }
        return pieces;
    }

    /// <summary>
    /// Feeds <paramref name="input"/> (then end of stream) to <paramref name="read"/> and returns
    /// its result plus whatever it left in the reader.
    /// </summary>
    public static async Task<(T Result, byte[] Remaining)> RunAsync<T>(byte[] input, FeedMode mode, Func<PipeReader, Task<T>> read, int seed = Seed)
    {
        if (mode is FeedMode.Whole or FeedMode.MultiSegment)
        {
            // ReadOnlySequence.Empty, not a sequence over a new byte[0]: SequencePipeReader
            // throws InvalidCastException on the second read of the latter (framework quirk).
            var sequence = input.Length == 0 ? ReadOnlySequence<byte>.Empty
                : mode == FeedMode.Whole ? new ReadOnlySequence<byte>(input)
                : ChainedSegment.Create(Split(input, seed, 23));
            var reader = PipeReader.Create(sequence);
            var result = await read(reader);
            return (result, await ReadRestAsync(reader));
        }
        var pieces = mode == FeedMode.ByteByByte ? input.Select(b => new[] { b }).ToList() : Split(input, seed, 23);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
        var writer = Task.Run(async () =>
        {
            foreach (var piece in pieces)
            {
                await pipe.Writer.WriteAsync(piece); // WriteAsync flushes each piece
            }
            await pipe.Writer.CompleteAsync();
        });
        var readResult = await read(pipe.Reader);
        var rest = await ReadRestAsync(pipe.Reader);
        await writer;
        return (readResult, rest);
    }

    public static async Task<byte[]> ReadRestAsync(PipeReader reader)
    {
        while (true)
        {
            var result = await reader.ReadAsync();
            if (result.IsCompleted)
            {
                var rest = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return rest;
            }
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
