using Postern.Core.Queueing;
using Postern.Queue.Storage;

namespace Postern.Queue.Maildrop;

/// <summary>
/// One submission being written to the maildrop. Commit writes the spool trailer, fsyncs the
/// file and only then opens it to the daemon (0644): a file the daemon can read is complete and
/// on disk. Dispose without commit removes it. <see cref="Id"/> names the message in the
/// submitter's headers (Message-ID); the daemon queues it under an id of its own.
/// </summary>
internal sealed class MaildropWriter(QueueId id, string path, FileStream file) : IMessageWriter
{
    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly SpoolBodyStream _body = new(file);
    private bool _committed;
    private bool _closed;

    public QueueId Id { get; } = id;

    public Stream Body => _body;

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_body.Faulted)
        {
            throw new IOException("an earlier write to the maildrop failed; the message cannot be committed");
        }
        _body.Seal();
        await file.WriteAsync(SpoolFormat.Trailer(_body.BytesWritten), cancellationToken);
        await file.FlushAsync(cancellationToken);
        file.Flush(flushToDisk: true);
        await file.DisposeAsync();
        _closed = true;
        File.SetUnixFileMode(path, Readable);
        _committed = true;
    }

    public ValueTask CommitAsync(string? quarantineReason, CancellationToken cancellationToken) =>
        quarantineReason is null
            ? CommitAsync(cancellationToken)
            : throw new NotSupportedException("a maildrop submission cannot be quarantined by its submitter");

    public async ValueTask DisposeAsync()
    {
        if (_committed)
        {
            return;
        }
        _body.Seal();
        if (!_closed)
        {
            _closed = true;
            try
            {
                await file.DisposeAsync();
            }
            catch (IOException)
            {
                // Flushing an abandoned submission can fail (disk full): it goes anyway.
            }
        }
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The daemon removes stale unreadable files.
        }
    }
}
