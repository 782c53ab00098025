using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Queue.Storage;

namespace Postern.Queue.Spooling;

/// <summary>
/// Read-only views of the queue: what <c>mailq</c>, <c>postern queue list|show</c> and the
/// runner's scans see. Nothing here moves or deletes a file: unreadable files are skipped, and
/// recovery, not a reader, deals with bad ones.
/// </summary>
public sealed class SpoolInspection
{
    /// <summary>Messages read together by <see cref="Inspect"/>: enough to keep the cores busy, few enough to hold.</summary>
    private const int InspectBatch = 256;

    private readonly SpoolPaths _paths;
    private readonly SpoolReader _reader;
    private readonly HoldMarkers _holds;
    private readonly TimeProvider _clock;

    internal SpoolInspection(SpoolPaths paths, SpoolReader reader, HoldMarkers holds, TimeProvider clock)
    {
        _paths = paths;
        _reader = reader;
        _holds = holds;
        _clock = clock;
    }

    /// <summary>The queued messages, oldest first, for <c>mailq</c>.</summary>
    public Task<IReadOnlyList<QueueEntry>> ListAsync(CancellationToken cancellationToken) =>
        Task.Run<IReadOnlyList<QueueEntry>>(() => List(cancellationToken), cancellationToken);

    /// <summary>Every queued message with each recipient's state, oldest first, as one list (for a small queue; <see cref="Inspect"/> streams).</summary>
    public Task<IReadOnlyList<QueueMessageInfo>> InspectAsync(CancellationToken cancellationToken) =>
        Task.Run<IReadOnlyList<QueueMessageInfo>>(() => [.. Inspect(cancellationToken)], cancellationToken);

    /// <summary>
    /// Every queued message with each recipient's state, oldest first, read as the caller goes
    /// (<c>postern queue list</c>): with a deep queue only the ids and one batch are held at once,
    /// never every envelope. A batch's files are read on every core (reading a message is mostly
    /// system calls: open, read, close for the message and its journal), and yielded in order.
    /// </summary>
    public IEnumerable<QueueMessageInfo> Inspect(CancellationToken cancellationToken)
    {
        var batch = new List<(QueueId Id, string Path)>(InspectBatch);
        foreach (var message in Messages())
        {
            batch.Add(message);
            if (batch.Count == InspectBatch)
            {
                foreach (var info in InspectBatchOf(batch, cancellationToken))
                {
                    yield return info;
                }
                batch.Clear();
            }
        }
        foreach (var info in InspectBatchOf(batch, cancellationToken))
        {
            yield return info;
        }
    }

    private QueueMessageInfo[] InspectBatchOf(List<(QueueId Id, string Path)> batch, CancellationToken cancellationToken)
    {
        var infos = new QueueMessageInfo?[batch.Count];
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, batch.Count, options, i => infos[i] = TryInspect(batch[i].Id, batch[i].Path));
        return [.. infos.OfType<QueueMessageInfo>()];
    }

    /// <summary>One queued message with each recipient's state, or null when it is not in the queue (or its file is unreadable).</summary>
    public Task<QueueMessageInfo?> TryGetAsync(QueueId id, CancellationToken cancellationToken) =>
        Task.Run(() => TryInspect(id, _paths.Message(id)), cancellationToken);

    /// <summary>True while the message is in queue/.</summary>
    internal bool Exists(QueueId id) => File.Exists(_paths.Message(id));

    /// <summary>True while the hold marker exists; the runner asks before each attempt.</summary>
    internal bool IsHeld(QueueId id) => _holds.Exists(id);

    /// <summary>The ids of every committed message in queue/, in queue order (no validation).</summary>
    internal List<QueueId> Scan()
    {
        var ids = new List<QueueId>();
        foreach (var (id, _) in Messages())
        {
            ids.Add(id);
        }
        return ids;
    }

    /// <summary>queue/*.msg with their ids, in queue order (the ids are time-ordered).</summary>
    private IEnumerable<(QueueId Id, string Path)> Messages()
    {
        foreach (var path in Directory.EnumerateFiles(_paths.Queue, "*" + SpoolPaths.MessageExtension).Order(StringComparer.Ordinal))
        {
            if (SpoolPaths.TryParseFileName(Path.GetFileName(path), SpoolPaths.MessageExtension, out var id))
            {
                yield return (id, path);
            }
        }
    }

    private List<QueueEntry> List(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var entries = new List<QueueEntry>();
        foreach (var (id, path) in Messages())
        {
            cancellationToken.ThrowIfCancellationRequested();
            SpoolEntry entry;
            try
            {
                entry = _reader.Read(id, path);
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

    private QueueMessageInfo? TryInspect(QueueId id, string path)
    {
        SpoolEntry entry;
        IReadOnlyList<JournalEntry> journal;
        try
        {
            entry = _reader.Read(id, path, out journal);
        }
        catch (Exception ex) when (ex is SpoolFormatException or IOException or UnauthorizedAccessException)
        {
            // Gone (delivered meanwhile) or unreadable.
            return null;
        }
        var envelope = entry.Message.Envelope;
        var recipients = new QueueRecipientStatus[envelope.Recipients.Count];
        for (var i = 0; i < recipients.Length; i++)
        {
            recipients[i] = Status(entry, journal, i);
        }
        var held = IsHeld(id);
        return new QueueMessageInfo(id, envelope, entry.Message.BodyLength, entry.QueuedAt, recipients, entry.Message.OpenBody)
        {
            Held = held,
            QuarantineReason = held ? _holds.ReadReason(id) ?? envelope.QuarantineReason : null,
            Attempts = entry.Attempts,
            NextAttempt = entry.Indices(RecipientState.Pending).Any() ? entry.NextAttempt : null,
        };
    }

    private static QueueRecipientStatus Status(SpoolEntry entry, IReadOnlyList<JournalEntry> journal, int i)
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
        return new QueueRecipientStatus(entry.Message.Envelope.Recipients[i], state, last is null ? null : SpoolEntry.ToReply(last), last?.At);
    }
}
