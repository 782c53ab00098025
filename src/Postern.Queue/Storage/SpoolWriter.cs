using Postern.Core.Queueing;

namespace Postern.Queue.Storage;

/// <summary>
/// One message being written to tmp/. Commit makes it durable and moves it to queue/; dispose
/// without commit (or a failed commit) deletes the temp file so nothing half-written remains.
/// A quarantined commit makes the hold marker durable first, so the message is never in queue/
/// without it (see <see cref="HoldMarkers.PlaceDurably"/>).
/// </summary>
internal sealed class SpoolWriter : IMessageWriter
{
    private readonly SpoolCommitContext _commit;
    private readonly FileStream _file;
    private readonly Stream _sink;
    private readonly SpoolBodyStream _body;
    private readonly string _tempPath;
    private readonly string? _envelopeQuarantine;
    private bool _committed;
    private bool _closed;

    public SpoolWriter(SpoolCommitContext commit, QueueId id, string tempPath, FileStream file, Stream sink, string? envelopeQuarantine = null)
    {
        _commit = commit;
        _envelopeQuarantine = envelopeQuarantine;
        Id = id;
        _tempPath = tempPath;
        _file = file;
        _sink = sink;
        _body = new SpoolBodyStream(sink);
    }

    public QueueId Id { get; }

    public Stream Body => _body;

    public ValueTask CommitAsync(CancellationToken cancellationToken) => CommitAsync(null, cancellationToken);

    public async ValueTask CommitAsync(string? quarantineReason, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var reason = quarantineReason ?? _envelopeQuarantine;
        var held = false;
        if (_body.Faulted)
        {
            throw new IOException($"{Id}: an earlier write to the spool failed; the message cannot be committed");
        }
        _body.Seal();
        cancellationToken.ThrowIfCancellationRequested();
        var queuePath = _commit.Paths.Message(Id);
        var trailer = SpoolFormat.Trailer(_body.BytesWritten);
        Task? durable = null;
        try
        {
            // Every blocking call in one go, here or on the spool's I/O threads when another commit
            // is blocked here already (see SpoolIoThreads): the last bytes, the file's fsync, the
            // close, the marker, the rename, and the directory fsync too when none is running (else
            // the rename joins the next one).
            await _commit.Io.RunAsync(
                () =>
                {
                    _sink.Write(trailer);
                    _sink.Flush();
                    _file.Flush(flushToDisk: true);
                    _closed = true;
                    _file.Dispose();
                    if (reason is not null)
                    {
                        // Durable before the rename: queue/ never holds this message without its marker.
                        held = true;
                        _commit.Holds.PlaceDurably(Id, reason);
                    }
                    File.Move(_tempPath, queuePath, overwrite: false);
                    // Never throws: a failed directory fsync fails the returned task.
                    durable = _commit.QueueSync.SyncHere();
                },
                mayRunHere: true);
        }
        catch
        {
            if (held)
            {
                TryDelete(_commit.Paths.Hold(Id));
            }
            await AbortAsync();
            throw;
        }
        try
        {
            // Shared with the commits renamed meanwhile; complete once this rename is durable.
            await durable!;
        }
        catch
        {
            // The rename may or may not survive a crash; the client is told 4xx, so take it back.
            // The marker goes only once the message is surely gone.
            if (TryDelete(queuePath) && held)
            {
                TryDelete(_commit.Paths.Hold(Id));
            }
            _commit.ActiveTempFiles.Remove(_tempPath);
            throw;
        }
        _committed = true;
        _commit.ActiveTempFiles.Remove(_tempPath);
        _commit.Report(Id, _body.BytesWritten);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            await AbortAsync();
        }
    }

    private async ValueTask AbortAsync()
    {
        _body.Seal();
        if (!_closed)
        {
            _closed = true;
            try
            {
                await _file.DisposeAsync();
            }
            catch (IOException)
            {
                // Flushing buffered bytes of an aborted message can fail (disk full): the file goes anyway.
            }
        }
        _ = TryDelete(_tempPath);
        _commit.ActiveTempFiles.Remove(_tempPath);
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            // Left for the start-up cleanup of tmp/.
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
            return false;
        }
    }
}
