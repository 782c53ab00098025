using System.Buffers;
using System.IO.Pipelines;

namespace Postern.Protocol.Data;

/// <summary>
/// Reads one BDAT chunk: exactly the announced number of bytes, no dot handling (RFC 3030).
/// Bytes go through the message's <see cref="LineEndNormalizer"/> in pooled blocks (a bare LF is
/// written as CR LF). The whole chunk is always consumed, even when it is over the size allowance
/// or the destination fails.
/// </summary>
public static class BdatReader
{
    private const int Block = 16 * 1024;

    /// <summary>Reads exactly <paramref name="chunkSize"/> bytes from <paramref name="input"/> into <paramref name="destination"/> (null: discard).</summary>
    /// <param name="input">The connection's reader; afterwards advanced exactly past the chunk.</param>
    /// <param name="chunkSize">The size announced by the BDAT command.</param>
    /// <param name="destination">Where the bytes go, or null to only consume them.</param>
    /// <param name="remainingAllowance">How many more bytes this message may take; a chunk
    /// beyond it is consumed unwritten and reported <see cref="DataReadResult.TooLarge"/>.</param>
    /// <param name="lineEnds">Bare CR/LF state carried across the message's chunks.</param>
    /// <param name="cancellationToken">Cancels the read (timeouts); propagates as <see cref="OperationCanceledException"/>.</param>
    public static async ValueTask<DataReadResult> ReadChunkAsync(
        PipeReader input,
        long chunkSize,
        Stream? destination,
        long remainingAllowance,
        LineEndNormalizer lineEnds,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(lineEnds);
        ArgumentOutOfRangeException.ThrowIfNegative(chunkSize);
        var tooLarge = chunkSize > remainingAllowance;
        var sink = new DataSink(tooLarge ? null : destination);
        var remaining = chunkSize;
        var output = ArrayPool<byte>.Shared.Rent(2 * Block);
        try
        {
            while (remaining > 0)
            {
                var result = await input.ReadAsync(cancellationToken);
                if (result.IsCanceled)
                {
                    input.AdvanceTo(result.Buffer.Start);
                    throw new OperationCanceledException("The read was canceled.");
                }
                var chunk = result.Buffer.Slice(0, Math.Min(remaining, result.Buffer.Length));
                var position = chunk.Start;
                try
                {
                    foreach (var segment in chunk)
                    {
                        for (var offset = 0; offset < segment.Length; offset += Block)
                        {
                            var written = lineEnds.Normalize(segment.Span.Slice(offset, Math.Min(Block, segment.Length - offset)), output);
                            await sink.WriteAsync(output.AsMemory(0, written), cancellationToken);
                        }
                    }
                    position = chunk.End;
                }
                finally
                {
                    input.AdvanceTo(position);
                }
                remaining -= chunk.Length;
                if (remaining > 0 && result.IsCompleted)
                {
                    return new DataReadResult(sink.BytesWritten, tooLarge, lineEnds.Counts, true, sink.WriteError);
                }
            }
            return new DataReadResult(sink.BytesWritten, tooLarge, lineEnds.Counts, false, sink.WriteError);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }
}
