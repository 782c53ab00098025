using Postern.Core.Queueing;
using Postern.Queue.Storage;

namespace Postern.Queue.Spooling;

/// <summary>
/// Takes new messages and forgets finished ones. A message streams into <c>tmp/id.msg</c> (a
/// spare file when there is one), and its <see cref="SpoolWriter"/> commits it: the file's fsync,
/// the rename into <c>queue/</c> and the group fsync of <c>queue/</c>, then the listener is told.
/// See <see cref="SpoolFormat"/> for the file format.
/// </summary>
public sealed class SpoolStore : IMessageQueue
{
    private const int FileBufferSize = 64 * 1024;

    private readonly SpoolCommitContext _commit;
    private readonly SpareFiles _spares;
    private readonly TimeProvider _clock;
    private readonly Func<Stream, Stream> _wrapBodyStream;

    /// <param name="commit">What each writer needs to commit.</param>
    /// <param name="spares">Emptied files of removed messages, reused for new ones.</param>
    /// <param name="clock">The clock for queue ids and the queued-at time.</param>
    /// <param name="wrapBodyStream">Wraps each temp file stream (a test seam to inject write faults).</param>
    internal SpoolStore(SpoolCommitContext commit, SpareFiles spares, TimeProvider clock, Func<Stream, Stream> wrapBodyStream)
    {
        _commit = commit;
        _spares = spares;
        _clock = clock;
        _wrapBodyStream = wrapBodyStream;
    }

    private SpoolPaths Paths => _commit.Paths;

    public ValueTask<IMessageWriter> BeginMessageAsync(Envelope envelope, CancellationToken cancellationToken) =>
        BeginMessageAsync(envelope, QueueId.New(_clock), cancellationToken);

    public async ValueTask<IMessageWriter> BeginMessageAsync(Envelope envelope, QueueId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var header = SpoolFormat.Header(EnvelopeMapper.ToRecord(envelope, _clock.GetUtcNow()));
        var path = Paths.TempMessage(id);
        _commit.ActiveTempFiles.Add(path);
        FileStream? file = null;
        var recycled = false;
        try
        {
            // A spare (a removed message's file, already private and empty) saves allocating an inode.
            recycled = _spares.TryTake(path);
            var options = new FileStreamOptions
            {
                Mode = recycled ? FileMode.Truncate : FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = FileBufferSize,
                Options = FileOptions.Asynchronous,
            };
            if (!recycled)
            {
                // A create mode is refused with FileMode.Truncate; a spare has its mode already.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            file = new FileStream(path, options);
            var sink = _wrapBodyStream(file);
            await sink.WriteAsync(header, cancellationToken);
            return new SpoolWriter(_commit, id, path, file, sink, envelope.QuarantineReason);
        }
        catch
        {
            if (file is not null)
            {
                await DisposeQuietlyAsync(file);
            }
            if (file is not null || recycled)
            {
                // A spare renamed here but not opened is removed as well.
                File.Delete(path);
            }
            _commit.ActiveTempFiles.Remove(path);
            throw;
        }
    }

    /// <summary>
    /// Forgets a finished message. The message goes first (and that is made durable), then the
    /// journal: a crash in between leaves only an orphan journal, which recovery removes; the other
    /// order could leave a message without its journal and deliver it again. The removal's fsync of
    /// queue/ is the group commit shared with concurrent commits.
    /// </summary>
    internal async ValueTask RemoveAsync(QueueId id)
    {
        // Out of queue/ either way; its inode is kept for a new message when there is room.
        _spares.Recycle(Paths.Message(id));
        await _commit.QueueSync.SyncAsync();
        File.Delete(Paths.Journal(id));
        _commit.Holds.Remove(id);
    }

    private static async ValueTask DisposeQuietlyAsync(FileStream file)
    {
        try
        {
            await file.DisposeAsync();
        }
        catch (IOException)
        {
            // The file is deleted next; what its buffer held does not matter.
        }
    }
}
