using Microsoft.Extensions.Logging;
using Postern.Core.Queueing;

namespace Postern.Queue.Storage;

/// <summary>
/// What a <see cref="SpoolWriter"/> needs to commit its message, shared by every writer of one
/// spool: the layout, the threads for blocking calls, the group commit of queue/, the hold
/// markers, the registry of temp files being written and whom to tell of a durable commit.
/// </summary>
internal sealed record SpoolCommitContext(
    SpoolPaths Paths,
    SpoolIoThreads Io,
    SpoolCommitBatcher QueueSync,
    HoldMarkers Holds,
    ActiveTempFiles ActiveTempFiles,
    ICommitListener Listener,
    ILogger Logger)
{
    /// <summary>Logs the durable commit and tells the listener.</summary>
    public void Report(QueueId id, long size)
    {
        Logger.Committed(id.Value, size);
        Listener.Committed(id);
    }
}
