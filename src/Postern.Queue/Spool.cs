using Microsoft.Extensions.Logging;
using Postern.Core.Queueing;
using Postern.Queue.Spooling;
using Postern.Queue.Storage;

namespace Postern.Queue;

/// <summary>
/// The durable spool under <see cref="QueueOptions.SpoolDirectory"/>, made of one part per job:
/// <see cref="Store"/> takes messages (tmp/, fsync, rename into queue/) and forgets finished
/// ones, <see cref="Recovery"/> cleans up at start, <see cref="Inspection"/> gives the read-only
/// views, <see cref="Control"/> holds, releases and deletes, and <see cref="Journal"/> keeps each
/// recipient's outcome. They share the layout (<see cref="SpoolPaths"/>), the group commit of
/// queue/ and the hold markers, which this class creates once per spool.
/// </summary>
public sealed class Spool : IMessageQueue
{
    /// <param name="options">Where the spool is.</param>
    /// <param name="io">The threads for the spool's blocking fsyncs and renames (owned by the caller).</param>
    /// <param name="listener">Told of each durable commit (the queue runner's <see cref="CommittedMessages"/>).</param>
    /// <param name="clock">The clock for queue ids and times.</param>
    /// <param name="logger">Where the spool's log lines go.</param>
    public Spool(QueueOptions options, SpoolIoThreads io, ICommitListener listener, TimeProvider clock, ILogger<Spool> logger)
        : this(options, io, listener, clock, logger, static stream => stream, create: true)
    {
    }

    /// <summary>
    /// A spool for a one-shot submission (sendmail): I/O threads of its own, started only if
    /// commits run concurrently, and nobody told of commits (a running daemon finds the message
    /// when signalled or at its next start).
    /// </summary>
    public Spool(QueueOptions options, TimeProvider clock, ILogger<Spool> logger)
        : this(options, new SpoolIoThreads(), new NobodyListening(), clock, logger)
    {
    }

    /// <summary>Test seam: <paramref name="wrapBodyStream"/> wraps the temp file stream (to inject write faults).</summary>
    internal Spool(QueueOptions options, SpoolIoThreads io, ICommitListener listener, TimeProvider clock, ILogger<Spool> logger, Func<Stream, Stream> wrapBodyStream)
        : this(options, io, listener, clock, logger, wrapBodyStream, create: true)
    {
    }

    private Spool(
        QueueOptions options, SpoolIoThreads io, ICommitListener listener, TimeProvider clock, ILogger<Spool> logger, Func<Stream, Stream> wrapBodyStream, bool create)
    {
        ArgumentNullException.ThrowIfNull(options);
        Paths = new SpoolPaths(options.SpoolDirectory);
        QueueSync = new SpoolCommitBatcher(Paths.Queue, io);
        Spares = new SpareFiles(Paths.Tmp);
        Holds = new HoldMarkers(Paths);
        var activeTempFiles = new ActiveTempFiles();
        var corrupt = new CorruptMessages(Paths, clock, logger);
        Journal = new SpoolJournal(Paths, QueueSync);
        Reader = new SpoolReader(Paths, Journal, corrupt, logger);
        Store = new SpoolStore(new SpoolCommitContext(Paths, io, QueueSync, Holds, activeTempFiles, listener, logger), Spares, clock, wrapBodyStream);
        Recovery = new SpoolRecovery(Paths, Reader, activeTempFiles, corrupt, logger);
        Inspection = new SpoolInspection(Paths, Reader, Holds, clock);
        Control = new SpoolControl(Paths, Holds);
        if (create)
        {
            Paths.EnsureCreated();
        }
    }

    /// <summary>
    /// The spool for reading or changing by hand (<c>postern queue</c> without a daemon): creates
    /// no directory and runs no recovery; null when the spool has no queue directory (nothing was
    /// ever queued there). Use only <see cref="Inspection"/> and <see cref="Control"/> on it.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">This user may not read the queue directory (or enter a directory above it).</exception>
    public static Spool? OpenExisting(QueueOptions options, TimeProvider clock, ILogger<Spool> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var spool = new Spool(options, new SpoolIoThreads(), new NobodyListening(), clock, logger, static stream => stream, create: false);
        return QueueDirectoryReadable(spool.Paths.Queue) ? spool : null;
    }

    /// <summary>
    /// True when queue/ exists and can be listed; false when it does not exist. Directory.Exists
    /// answers false for a directory this user may not reach too (the spool is 0700), which would
    /// make an unreadable queue look empty: opening the directory tells the two apart.
    /// </summary>
    private static bool QueueDirectoryReadable(string queueDirectory)
    {
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(queueDirectory).GetEnumerator();
            entries.MoveNext();
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Takes new messages (<see cref="BeginMessageAsync(Envelope, CancellationToken)"/>) and forgets finished ones.</summary>
    public SpoolStore Store { get; }

    /// <summary>Start-up recovery.</summary>
    public SpoolRecovery Recovery { get; }

    /// <summary>The read-only views (<c>mailq</c>, <c>postern queue list|show</c>).</summary>
    public SpoolInspection Inspection { get; }

    /// <summary>Hold, release, delete.</summary>
    public SpoolControl Control { get; }

    /// <summary>Each recipient's outcomes.</summary>
    internal SpoolJournal Journal { get; }

    /// <summary>Loads committed messages for delivery.</summary>
    internal SpoolReader Reader { get; }

    internal SpoolPaths Paths { get; }

    /// <summary>The hold markers beside the messages in queue/.</summary>
    internal HoldMarkers Holds { get; }

    /// <summary>Group commit of queue/: concurrent commits share one directory fsync.</summary>
    internal SpoolCommitBatcher QueueSync { get; }

    /// <summary>Emptied files of removed messages, reused for new ones instead of allocating inodes.</summary>
    internal SpareFiles Spares { get; }

    /// <summary>The spool takes messages through its <see cref="Store"/>.</summary>
    public ValueTask<IMessageWriter> BeginMessageAsync(Envelope envelope, CancellationToken cancellationToken) =>
        Store.BeginMessageAsync(envelope, cancellationToken);

    public ValueTask<IMessageWriter> BeginMessageAsync(Envelope envelope, QueueId id, CancellationToken cancellationToken) =>
        Store.BeginMessageAsync(envelope, id, cancellationToken);

    private sealed class NobodyListening : ICommitListener
    {
        public void Committed(QueueId id)
        {
        }
    }
}
