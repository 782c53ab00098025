using Postern.Core.Queueing;
using Postern.Queue.Storage;

namespace Postern.Queue.Spooling;

/// <summary>
/// The per-recipient outcomes of each queued message, in its journal <c>queue/id.rcpt</c> (format:
/// <see cref="RecipientJournal"/>). Appends are durable before they return, and never create a
/// journal for a message that is gone.
/// </summary>
internal sealed class SpoolJournal(SpoolPaths paths, SpoolCommitBatcher queueSync)
{
    /// <summary>The message's complete entries (none when it has no journal); <paramref name="skipped"/> counts unreadable lines.</summary>
    public IReadOnlyList<JournalEntry> Read(QueueId id, out int skipped) => RecipientJournal.Read(paths.Journal(id), out skipped);

    /// <summary>
    /// Appends to the message's journal; false (nothing written) when the message was deleted
    /// meanwhile (<c>postern queue delete</c> during an attempt). The check and the append are not
    /// one step: a deletion in between leaves at worst an orphan journal, which recovery removes.
    /// </summary>
    public bool Append(QueueId id, IReadOnlyCollection<JournalEntry> entries)
    {
        if (!File.Exists(paths.Message(id)))
        {
            return false;
        }
        RecipientJournal.Append(paths.Journal(id), paths.Queue, entries);
        return true;
    }

    /// <summary>
    /// As <see cref="Append"/>, but a new journal's directory entry is made durable by the group
    /// commit of queue/ (shared with concurrent commits and removals) instead of its own fsync.
    /// </summary>
    public async ValueTask<bool> AppendAsync(QueueId id, IReadOnlyCollection<JournalEntry> entries)
    {
        if (!File.Exists(paths.Message(id)))
        {
            return false;
        }
        if (RecipientJournal.AppendFile(paths.Journal(id), entries))
        {
            await queueSync.SyncAsync();
        }
        return true;
    }
}
