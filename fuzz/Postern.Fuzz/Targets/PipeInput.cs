using System.Buffers;
using System.IO.Pipelines;

namespace Postern.Fuzz.Targets;

/// <summary>The two ways a reader is fed: everything at once, or a few bytes per read.</summary>
internal static class PipeInput
{
    /// <summary>Bytes per read for the trickled feed: small and odd, so markers straddle reads.</summary>
    public const int TricklePiece = 3;

    public static PipeReader Whole(byte[] input) => PipeReader.Create(new ReadOnlySequence<byte>(input));

    public static PipeReader Trickled(byte[] input) =>
        PipeReader.Create(new TrickleStream(input, TricklePiece), new StreamPipeReaderOptions(bufferSize: 16, minimumReadSize: 1));

    /// <summary>Whatever the reader has not consumed, read to the end.</summary>
    public static byte[] Rest(PipeReader reader)
    {
        using var rest = new MemoryStream();
        while (true)
        {
            var result = reader.ReadAsync().AsTask().GetAwaiter().GetResult();
            foreach (var segment in result.Buffer)
            {
                rest.Write(segment.Span);
            }
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return rest.ToArray();
            }
        }
    }
}
