using System.IO.Pipelines;

namespace Postern.Protocol.Data;

/// <summary>
/// Reads one BDAT chunk: exactly the announced number of bytes, no dot handling (RFC 3030).
/// Bytes are written straight from the pipe's segments. The whole chunk is always consumed,
/// even when it is over the size allowance or the destination fails.
/// </summary>
public static class BdatReader
{
    /// <summary>Reads exactly <paramref name="chunkSize"/> bytes from <paramref name="input"/> into <paramref name="destination"/> (null: discard).</summary>
    /// <param name="input">The connection's reader; afterwards advanced exactly past the chunk.</param>
    /// <param name="chunkSize">The size announced by the BDAT command.</param>
    /// <param name="destination">Where the bytes go, or null to only consume them.</param>
    /// <param name="remainingAllowance">How many more bytes this message may take; a chunk
    /// beyond it is consumed unwritten and reported <see cref="DataReadResult.TooLarge"/>.</param>
    /// <param name="tracker">Bare CR/LF state carried across the message's chunks.</param>
    /// <param name="cancellationToken">Cancels the read (timeouts); propagates as <see cref="OperationCanceledException"/>.</param>
    public static async ValueTask<DataReadResult> ReadChunkAsync(
        PipeReader input,
        long chunkSize,
        Stream? destination,
        long remainingAllowance,
        LineEndingTracker tracker,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentOutOfRangeException.ThrowIfNegative(chunkSize);
        var tooLarge = chunkSize > remainingAllowance;
        var sink = new DataSink(tooLarge ? null : destination);
        var remaining = chunkSize;
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
                    tracker.Observe(segment.Span);
                    await sink.WriteAsync(segment, cancellationToken);
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
                return new DataReadResult(sink.BytesWritten, tooLarge, tracker.SawBareLineEnding, true, sink.WriteError);
            }
        }
        return new DataReadResult(sink.BytesWritten, tooLarge, tracker.SawBareLineEnding, false, sink.WriteError);
    }
}
