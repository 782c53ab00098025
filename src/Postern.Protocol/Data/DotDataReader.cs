using System.Buffers;
using System.IO.Pipelines;

namespace Postern.Protocol.Data;

/// <summary>
/// Reads DATA content through the end marker <c>CRLF.CRLF</c>, removing dot-stuffing, writing
/// bare LFs as CR LF and streaming the content to a destination in pooled chunks (never the whole
/// message in memory). Over-size content, bare line endings and write failures are reported, not
/// thrown: the reader always consumes to the end marker so the session stays in step with
/// pipelined commands.
/// </summary>
public static class DotDataReader
{
    private const int ChunkSize = 32 * 1024;

    /// <summary>
    /// Reads until the end marker. Afterwards <paramref name="input"/> is advanced exactly past
    /// the end marker. Cancellation propagates as <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async ValueTask<DataReadResult> ReadAsync(PipeReader input, Stream? destination, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var machine = new DotUnstuffer(maxBytes);
        var sink = new DataSink(destination);
        var output = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var pending = 0;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken);
                if (result.IsCanceled)
                {
                    input.AdvanceTo(result.Buffer.Start);
                    throw new OperationCanceledException("The read was canceled.");
                }
                var buffer = result.Buffer;
                long consumed = 0;
                var advanced = false;
                try
                {
                    foreach (var segment in buffer)
                    {
                        var offset = 0;
                        while (offset < segment.Length && !machine.Ended)
                        {
                            var used = machine.Feed(segment.Span[offset..], output.AsSpan(pending), out var written);
                            offset += used;
                            consumed += used;
                            pending += written;
                            if (output.Length - pending < 2)
                            {
                                await sink.WriteAsync(output.AsMemory(0, pending), cancellationToken);
                                pending = 0;
                            }
                        }
                        if (machine.Ended)
                        {
                            break;
                        }
                    }
                    input.AdvanceTo(machine.Ended ? buffer.GetPosition(consumed) : buffer.End);
                    advanced = true;
                }
                finally
                {
                    if (!advanced)
                    {
                        input.AdvanceTo(buffer.GetPosition(consumed));
                    }
                }
                if (machine.Ended || result.IsCompleted)
                {
                    await sink.WriteAsync(output.AsMemory(0, pending), cancellationToken);
                    pending = 0;
                    return new DataReadResult(sink.BytesWritten, machine.TooLarge, new BareLineEnds(machine.BareLineFeeds, machine.BareCarriageReturns), !machine.Ended, sink.WriteError);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }
}
