using System.Buffers;
using System.Globalization;
using System.Text;
using Postern.Core.Addressing;

namespace Postern.Delivery.Local;

/// <summary>
/// Appends a message to a file in mbox format for <c>/path/file</c> aliases: a <c>From </c> line,
/// the prepended headers, the mboxrd-quoted body and a blank line, under an exclusive lock, then
/// fsync. A failed append is cut back off so the mailbox is never left with half a message.
/// </summary>
internal static class MboxWriter
{
    private const int BufferSize = 64 * 1024;

    public static async ValueTask AppendAsync(
        string path,
        Mailbox? sender,
        DateTimeOffset receivedAt,
        ReadOnlyMemory<byte> headers,
        Stream body,
        CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            // Not FileMode.Append: it forbids cutting a failed append back off.
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.Write,
            // FileShare.None takes an exclusive flock(2) on Unix; a locked file throws IOException (deferred).
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            BufferSize = 0,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        await using var file = new FileStream(path, options);
        var originalLength = file.Seek(0, SeekOrigin.End);
        try
        {
            await file.WriteAsync(FromLine(sender, receivedAt), cancellationToken);
            await file.WriteAsync(headers, cancellationToken);
            await CopyEncodedAsync(body, file, cancellationToken);
            file.Flush(flushToDisk: true);
        }
        catch
        {
            TryTruncate(file, originalLength);
            throw;
        }
    }

    /// <summary><c>From sender Www Mmm dd hh:mm:ss yyyy</c> (asctime, UTC); <c>MAILER-DAEMON</c> for &lt;&gt;.</summary>
    internal static byte[] FromLine(Mailbox? sender, DateTimeOffset receivedAt)
    {
        var time = receivedAt.UtcDateTime;
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"From {sender?.ToString() ?? "MAILER-DAEMON"} {time:ddd MMM} {time.Day,2} {time:HH:mm:ss yyyy}\n");
        return Encoding.UTF8.GetBytes(text);
    }

    private static async ValueTask CopyEncodedAsync(Stream body, FileStream file, CancellationToken cancellationToken)
    {
        var encoder = new MboxEncoder();
        var output = new ArrayBufferWriter<byte>(BufferSize + 1024);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                encoder.Encode(buffer.AsSpan(0, read), output);
                await file.WriteAsync(output.WrittenMemory, cancellationToken);
                output.ResetWrittenCount();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        encoder.Finish(output);
        await file.WriteAsync(output.WrittenMemory, cancellationToken);
    }

    private static void TryTruncate(FileStream file, long length)
    {
        try
        {
            file.SetLength(length);
            file.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // Nothing more to do: the error that brought us here is reported.
        }
    }
}
