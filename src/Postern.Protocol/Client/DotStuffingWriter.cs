using System.Buffers;

namespace Postern.Protocol.Client;

/// <summary>Streams a message from its spool stream to the server in DATA form, chunk by chunk (never whole in memory).</summary>
public static class DotStuffingWriter
{
    private const int ChunkSize = 32 * 1024;

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/> dot-stuffed and ends it with CRLF.CRLF; returns the content bytes read.</summary>
    public static async ValueTask<long> WriteAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var stuffer = new DotStuffer();
        var input = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var output = ArrayPool<byte>.Shared.Rent(ChunkSize * 2 + 8);
        long total = 0;
        try
        {
            int read;
            while ((read = await source.ReadAsync(input.AsMemory(0, ChunkSize), cancellationToken)) > 0)
            {
                total += read;
                var written = stuffer.Encode(input.AsSpan(0, read), output);
                await destination.WriteAsync(output.AsMemory(0, written), cancellationToken);
            }
            var end = stuffer.Finish(output);
            await destination.WriteAsync(output.AsMemory(0, end), cancellationToken);
            await destination.FlushAsync(cancellationToken);
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
            ArrayPool<byte>.Shared.Return(output);
        }
    }
}
