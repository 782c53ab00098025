using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Postern.Core.Addressing;
using Postern.Core.IO;
using Postern.Core.Queueing;
using Postern.Queue.Storage;

namespace Postern.Queue;

/// <summary>
/// The durable spool under <see cref="QueueOptions.SpoolDirectory"/>: messages stream into tmp/,
/// are fsynced and renamed into queue/ on commit, and each carries a recipient journal. See
/// <see cref="SpoolFormat"/> for the file format and <see cref="RecipientJournal"/> for the journal.
/// </summary>
public sealed class Spool : IMessageQueue
{
    private const int FileBufferSize = 64 * 1024;

    private readonly TimeProvider _clock;
    private readonly ILogger<Spool> _logger;
    private readonly Func<Stream, Stream> _wrapBodyStream;
    private readonly Channel<QueueId> _committed = Channel.CreateUnbounded<QueueId>(new UnboundedChannelOptions { SingleReader = true });

    // Temp files being written right now: start-up cleanup of tmp/ must not delete them.
    private readonly ConcurrentDictionary<string, byte> _activeTempFiles = new(StringComparer.Ordinal);

    public Spool(QueueOptions options, TimeProvider clock, ILogger<Spool> logger)
        : this(options, clock, logger, static stream => stream)
    {
    }

    /// <summary>Test seam: <paramref name="wrapBodyStream"/> wraps the temp file stream (to inject write faults).</summary>
    internal Spool(QueueOptions options, TimeProvider clock, ILogger<Spool> logger, Func<Stream, Stream> wrapBodyStream)
        : this(options, clock, logger, wrapBodyStream, create: true)
    {
    }

    private Spool(QueueOptions options, TimeProvider clock, ILogger<Spool> logger, Func<Stream, Stream> wrapBodyStream, bool create)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clock = clock;
        _logger = logger;
        _wrapBodyStream = wrapBodyStream;
        Paths = new SpoolPaths(options.SpoolDirectory);
        QueueSync = new SpoolCommitBatcher(Paths.Queue);
        Spares = new SpareFiles(Paths.Tmp);
        if (create)
        {
            Paths.EnsureCreated();
        }
    }

    /// <summary>
    /// The spool for reading only (<c>postern queue</c> without a daemon): creates no directory and
    /// runs no recovery; null when the spool has no queue directory (nothing was ever queued there).
    /// Use only <see cref="ListAsync"/>, <see cref="InspectAsync"/> and <see cref="TryGetAsync"/> on it.
    /// </summary>
    public static Spool? OpenExisting(QueueOptions options, TimeProvider clock, ILogger<Spool> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var spool = new Spool(options, clock, logger, static stream => stream, create: false);
        return Directory.Exists(spool.Paths.Queue) ? spool : null;
    }

    internal SpoolPaths Paths { get; }

    /// <summary>The threads that run the spool's blocking fsyncs and renames, off the thread pool.</summary>
    internal SpoolIoThreads Io { get; } = SpoolIoThreads.Shared;

    /// <summary>Group commit of queue/: concurrent commits share one directory fsync.</summary>
    internal SpoolCommitBatcher QueueSync { get; }

    /// <summary>Emptied files of removed messages, reused for new ones instead of allocating inodes.</summary>
    internal SpareFiles Spares { get; }

    /// <summary>Ids of messages just committed, for the queue runner.</summary>
    internal ChannelReader<QueueId> Committed => _committed.Reader;

    public async ValueTask<IMessageWriter> BeginMessageAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var id = QueueId.New(_clock);
        var header = SpoolFormat.Header(EnvelopeMapper.ToRecord(envelope, _clock.GetUtcNow()));
        var path = Paths.TempMessage(id);
        _activeTempFiles[path] = 0;
        FileStream? file = null;
        var recycled = false;
        try
        {
            // A spare (a removed message's file, already private and empty) saves allocating an inode.
            recycled = Spares.TryTake(path);
            var options = new FileStreamOptions
            {
                Mode = recycled ? FileMode.Truncate : FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = FileBufferSize,
                Options = FileOptions.Asynchronous,
            };
            if (!recycled && !OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            file = new FileStream(path, options);
            var sink = _wrapBodyStream(file);
            await sink.WriteAsync(header, cancellationToken);
            return new SpoolWriter(this, id, path, file, sink, envelope.QuarantineReason);
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
            Release(path);
            throw;
        }
    }

    /// <summary>
    /// Start-up recovery: deletes unfinished files in tmp/ (never acknowledged), validates every
    /// queue/*.msg and moves the bad ones to corrupt/, removes journals whose message is gone, and
    /// returns the ids of the good messages in queue order. Never throws for a bad file.
    /// </summary>
    public Task<IReadOnlyList<QueueId>> RecoverAsync(CancellationToken cancellationToken) =>
        Task.Run<IReadOnlyList<QueueId>>(() => Recover(cancellationToken), cancellationToken);

    /// <summary>The queued messages, oldest first, for <c>mailq</c>. Unreadable files are skipped, not moved.</summary>
    public Task<IReadOnlyList<QueueEntry>> ListAsync(CancellationToken cancellationToken) =>
        Task.Run<IReadOnlyList<QueueEntry>>(() => List(cancellationToken), cancellationToken);

    /// <summary>
    /// Every queued message with each recipient's state, oldest first, for <c>postern queue list</c>.
    /// Read-only: unreadable files are skipped, nothing is moved or deleted.
    /// </summary>
    public Task<IReadOnlyList<QueueMessageInfo>> InspectAsync(CancellationToken cancellationToken) =>
        Task.Run<IReadOnlyList<QueueMessageInfo>>(() => Inspect(cancellationToken), cancellationToken);

    /// <summary>
    /// One queued message with each recipient's state, or null when it is not in the queue (or its
    /// file is unreadable). Read-only: nothing is moved or deleted.
    /// </summary>
    public Task<QueueMessageInfo?> TryGetAsync(QueueId id, CancellationToken cancellationToken) =>
        Task.Run(() => TryInspect(id, Paths.Message(id)), cancellationToken);

    /// <summary>
    /// Loads a committed message with its recipient states; null when it is gone. A file that fails
    /// validation is moved to corrupt/ and null returned.
    /// </summary>
    internal SpoolEntry? Load(QueueId id)
    {
        var path = Paths.Message(id);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return ReadEntry(id, path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (SpoolFormatException ex)
        {
            MoveToCorrupt(id, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// Appends to the message's journal; false (nothing written) when the message was deleted
    /// meanwhile (<c>postern queue delete</c> during an attempt). The check and the append are not
    /// one step: a deletion in between leaves at worst an orphan journal, which recovery removes.
    /// </summary>
    internal bool AppendJournal(QueueId id, IReadOnlyCollection<JournalEntry> entries)
    {
        if (!File.Exists(Paths.Message(id)))
        {
            return false;
        }
        RecipientJournal.Append(Paths.Journal(id), Paths.Queue, entries);
        return true;
    }

    /// <summary>
    /// As <see cref="AppendJournal"/>, but a new journal's directory entry is made durable by the
    /// group commit of queue/ (shared with concurrent commits and removals) instead of its own fsync.
    /// </summary>
    internal async ValueTask<bool> AppendJournalAsync(QueueId id, IReadOnlyCollection<JournalEntry> entries)
    {
        if (!File.Exists(Paths.Message(id)))
        {
            return false;
        }
        if (RecipientJournal.AppendFile(Paths.Journal(id), entries))
        {
            await QueueSync.SyncAsync();
        }
        return true;
    }

    /// <summary>True while the hold marker exists; the runner asks before each attempt.</summary>
    internal bool IsHeld(QueueId id) => File.Exists(Paths.Hold(id));

    internal bool Exists(QueueId id) => File.Exists(Paths.Message(id));

    /// <summary>
    /// Puts a message on hold: the runner does not attempt it until <see cref="ReleaseHold"/>.
    /// The hold is a marker file beside the message (created with one open call, made durable), so
    /// the message file is never rewritten. False when there is no such message.
    /// </summary>
    public bool Hold(QueueId id)
    {
        if (!Exists(id))
        {
            return false;
        }
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (new FileStream(Paths.Hold(id), options))
        {
        }
        DirectorySync.Flush(Paths.Queue);
        if (!Exists(id))
        {
            // Delivered or deleted meanwhile: do not leave a marker behind.
            File.Delete(Paths.Hold(id));
            return false;
        }
        return true;
    }

    /// <summary>
    /// Creates the hold marker of a message being committed in quarantine, with the reason as its
    /// content, and makes it durable (file and directory) before the caller renames the message
    /// into queue/. Until then the marker has no message: recovery leaves markers of messages still
    /// being written alone (see <see cref="Recover"/>).
    /// </summary>
    internal void CreateHoldMarker(QueueId id, string reason)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using (var file = new FileStream(Paths.Hold(id), options))
            {
                file.Write(Encoding.UTF8.GetBytes(HoldReason.Clean(reason) + "\n"));
                file.Flush(flushToDisk: true);
            }
        }
        catch (UnauthorizedAccessException ex)
        {
            // A storage failure like any other: the session answers 4xx.
            throw new IOException($"{id}: cannot create the hold marker: {ex.Message}", ex);
        }
        DirectorySync.Flush(Paths.Queue);
    }

    /// <summary>The quarantine reason in a message's hold marker; null when not held or held without a reason (<c>postern queue hold</c>).</summary>
    internal string? ReadHoldReason(QueueId id)
    {
        try
        {
            using var file = new FileStream(Paths.Hold(id), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[HoldReason.MaxBytes];
            var length = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            var text = HoldReason.Clean(Encoding.UTF8.GetString(buffer, 0, length));
            return text.Length == 0 ? null : text;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Takes a message off hold; false when there is no such message. Releasing a message not on hold is not an error.</summary>
    public bool ReleaseHold(QueueId id)
    {
        var held = File.Exists(Paths.Hold(id));
        File.Delete(Paths.Hold(id));
        if (held)
        {
            DirectorySync.Flush(Paths.Queue);
        }
        return Exists(id);
    }

    /// <summary>
    /// Deletes a message, its journal and its hold marker, without a bounce; false when there is
    /// no such message. Safe beside a running attempt: the message file goes first (one unlink,
    /// made durable), and the runner re-checks that it exists before journaling or bouncing, so
    /// it drops the message instead. A delivery already under way completes (the peer may have it).
    /// </summary>
    public bool Delete(QueueId id)
    {
        var path = Paths.Message(id);
        if (!File.Exists(path))
        {
            return false;
        }
        try
        {
            File.Delete(path);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        DirectorySync.Flush(Paths.Queue);
        File.Delete(Paths.Journal(id));
        File.Delete(Paths.Hold(id));
        return true;
    }

    /// <summary>The ids of every committed message in queue/, in queue order (no validation).</summary>
    internal List<QueueId> Scan()
    {
        var ids = new List<QueueId>();
        foreach (var path in Directory.EnumerateFiles(Paths.Queue, "*" + SpoolPaths.MessageExtension).Order(StringComparer.Ordinal))
        {
            if (SpoolPaths.TryParseFileName(Path.GetFileName(path), SpoolPaths.MessageExtension, out var id))
            {
                ids.Add(id);
            }
        }
        return ids;
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
        Spares.Recycle(Paths.Message(id));
        await QueueSync.SyncAsync();
        File.Delete(Paths.Journal(id));
        File.Delete(Paths.Hold(id));
    }

    internal void Release(string tempPath) => _activeTempFiles.TryRemove(tempPath, out _);

    internal void OnCommitted(QueueId id, long size)
    {
        _logger.Committed(id.Value, size);
        _committed.Writer.TryWrite(id);
    }

    private SpoolEntry ReadEntry(QueueId id, string path)
    {
        var header = SpoolFormat.Read(path);
        var journal = RecipientJournal.Read(Paths.Journal(id), out var skipped);
        if (skipped > 0)
        {
            _logger.JournalLinesSkipped(id.Value, skipped);
        }
        var message = new QueuedMessage(id, header.Envelope, header.BodyLength, () => OpenBody(path, header));
        return new SpoolEntry(message, header.QueuedAt, journal);
    }

    private static BoundedReadStream OpenBody(string path, SpoolHeader header)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        try
        {
            return new BoundedReadStream(file, header.BodyOffset, header.BodyLength);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private List<QueueId> Recover(CancellationToken cancellationToken)
    {
        Paths.EnsureCreated();
        foreach (var path in Directory.EnumerateFiles(Paths.Tmp))
        {
            if (!_activeTempFiles.ContainsKey(path))
            {
                File.Delete(path);
                if (!path.EndsWith(SpareFiles.Extension, StringComparison.Ordinal))
                {
                    // A spare is an empty file kept for reuse: nothing was lost with it.
                    _logger.RemovedTempFile(path);
                }
            }
        }

        var good = new List<QueueId>();
        var messages = new HashSet<QueueId>();
        foreach (var path in Directory.EnumerateFiles(Paths.Queue).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(path);
            if (SpoolPaths.TryParseFileName(name, SpoolPaths.MessageExtension, out var id))
            {
                messages.Add(id);
                try
                {
                    _ = SpoolFormat.Read(path);
                    good.Add(id);
                }
                catch (SpoolFormatException ex)
                {
                    MoveToCorrupt(id, ex.Message);
                }
            }
            else if (!SpoolPaths.TryParseFileName(name, SpoolPaths.JournalExtension, out _)
                && !SpoolPaths.TryParseFileName(name, SpoolPaths.HoldExtension, out _))
            {
                _logger.IgnoredFile(path);
            }
        }
        foreach (var path in Directory.EnumerateFiles(Paths.Queue, "*" + SpoolPaths.JournalExtension))
        {
            if (SpoolPaths.TryParseFileName(Path.GetFileName(path), SpoolPaths.JournalExtension, out var id) && !messages.Contains(id))
            {
                File.Delete(path);
                _logger.RemovedOrphanJournal(path);
            }
        }
        foreach (var path in Directory.EnumerateFiles(Paths.Queue, "*" + SpoolPaths.HoldExtension))
        {
            // A quarantined message being committed right now has its marker before its message
            // file: spare markers of active temp files, and look again for the message (renamed in
            // since the scan above) before calling a marker an orphan.
            if (SpoolPaths.TryParseFileName(Path.GetFileName(path), SpoolPaths.HoldExtension, out var id)
                && !messages.Contains(id)
                && !_activeTempFiles.ContainsKey(Paths.TempMessage(id))
                && !File.Exists(Paths.Message(id)))
            {
                File.Delete(path);
            }
        }
        _logger.Recovered(good.Count);
        return good;
    }

    private List<QueueEntry> List(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var entries = new List<QueueEntry>();
        foreach (var path in Directory.EnumerateFiles(Paths.Queue, "*" + SpoolPaths.MessageExtension).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!SpoolPaths.TryParseFileName(Path.GetFileName(path), SpoolPaths.MessageExtension, out var id))
            {
                continue;
            }
            SpoolEntry entry;
            try
            {
                entry = ReadEntry(id, path);
            }
            catch (Exception ex) when (ex is SpoolFormatException or IOException)
            {
                continue;
            }
            var envelope = entry.Message.Envelope;
            IReadOnlyList<Mailbox> pending = [.. entry.Indices(RecipientState.Pending).Select(i => envelope.Recipients[i].Address)];
            entries.Add(new QueueEntry(id, envelope.Sender, envelope.Recipients.Count, entry.Message.BodyLength, entry.QueuedAt, now - entry.QueuedAt, pending));
        }
        return entries;
    }

    private List<QueueMessageInfo> Inspect(CancellationToken cancellationToken)
    {
        var messages = new List<QueueMessageInfo>();
        foreach (var path in Directory.EnumerateFiles(Paths.Queue, "*" + SpoolPaths.MessageExtension).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (SpoolPaths.TryParseFileName(Path.GetFileName(path), SpoolPaths.MessageExtension, out var id)
                && TryInspect(id, path) is { } message)
            {
                messages.Add(message);
            }
        }
        return messages;
    }

    private QueueMessageInfo? TryInspect(QueueId id, string path)
    {
        SpoolEntry entry;
        IReadOnlyList<JournalEntry> journal;
        try
        {
            entry = ReadEntry(id, path);
            journal = RecipientJournal.Read(Paths.Journal(id), out _);
        }
        catch (Exception ex) when (ex is SpoolFormatException or IOException or UnauthorizedAccessException)
        {
            // Gone (delivered meanwhile) or unreadable: recovery, not a reader, deals with bad files.
            return null;
        }
        var envelope = entry.Message.Envelope;
        var recipients = new QueueRecipientStatus[envelope.Recipients.Count];
        for (var i = 0; i < recipients.Length; i++)
        {
            var state = entry.States[i] switch
            {
                RecipientState.Delivered => QueueRecipientState.Delivered,
                RecipientState.Failed => QueueRecipientState.Failed,
                RecipientState.Bounced => QueueRecipientState.Bounced,
                _ when entry.Deferrals[i] is not null => QueueRecipientState.Deferred,
                _ => QueueRecipientState.Pending,
            };
            // The entry that set the state carries the reply worth showing; for a deferral, the latest.
            var last = state switch
            {
                QueueRecipientState.Pending => null,
                QueueRecipientState.Deferred => entry.Deferrals[i],
                QueueRecipientState.Delivered => journal.FirstOrDefault(j => j.Recipient == i && j.Kind == JournalKind.Delivered),
                _ => journal.FirstOrDefault(j => j.Recipient == i && j.Kind == JournalKind.Failed),
            };
            recipients[i] = new QueueRecipientStatus(envelope.Recipients[i], state, last is null ? null : SpoolEntry.ToReply(last), last?.At);
        }
        var held = IsHeld(id);
        return new QueueMessageInfo(id, envelope, entry.Message.BodyLength, entry.QueuedAt, recipients, entry.Message.OpenBody)
        {
            Held = held,
            QuarantineReason = held ? ReadHoldReason(id) ?? envelope.QuarantineReason : null,
            Attempts = entry.Attempts,
            NextAttempt = entry.Indices(RecipientState.Pending).Any() ? entry.NextAttempt : null,
        };
    }

    private void MoveToCorrupt(QueueId id, string reason)
    {
        try
        {
            var target = Path.Combine(Paths.Corrupt, id.Value + SpoolPaths.MessageExtension);
            if (File.Exists(target))
            {
                target = Path.Combine(Paths.Corrupt, $"{id.Value}.{_clock.GetUtcNow().ToUnixTimeMilliseconds()}{SpoolPaths.MessageExtension}");
            }
            File.Move(Paths.Message(id), target);
            var journal = Paths.Journal(id);
            if (File.Exists(journal))
            {
                File.Move(journal, Path.ChangeExtension(target, SpoolPaths.JournalExtension), overwrite: true);
            }
            _logger.MovedCorrupt(id.Value, target, reason);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.MoveCorruptFailed(ex, id.Value, reason);
        }
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
