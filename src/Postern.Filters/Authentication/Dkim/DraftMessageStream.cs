using MimeKit.IO;
using Postern.Core.Stages;

namespace Postern.Filters.Authentication.Dkim;

/// <summary>
/// The message as a draft holds it, as one seekable stream for MimeKit's parser: the header
/// fields (small, in memory), the empty line, then the body read from where it lies. A body that
/// cannot seek (a filter's replacement) is first copied to a temporary file, never into memory.
/// </summary>
internal static class DraftMessageStream
{
    private const int BufferSize = 64 * 1024;

    public static async Task<Stream> OpenAsync(MessageDraft draft, CancellationToken cancellationToken)
    {
        var headers = new MemoryStream();
        foreach (var field in draft.Headers)
        {
            headers.Write(field.ToBytes());
        }
        headers.Write("\r\n"u8);
        headers.Position = 0;
        var body = draft.OpenBody();
        if (!body.CanSeek)
        {
            body = await CopyToTemporaryFileAsync(body, cancellationToken);
        }
        var message = new ChainedStream();
        message.Add(headers);
        // Positions relative to where the body starts (a held file's body starts after its header block).
        message.Add(new BoundStream(body, body.Position, -1, leaveOpen: false));
        return message;
    }

    private static async Task<Stream> CopyToTemporaryFileAsync(Stream body, CancellationToken cancellationToken)
    {
        var copy = new FileStream(
            Path.Combine(Path.GetTempPath(), "postern-dkim-" + Guid.NewGuid().ToString("N")),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (body)
        {
            await body.CopyToAsync(copy, BufferSize, cancellationToken);
        }
        copy.Position = 0;
        return copy;
    }
}
