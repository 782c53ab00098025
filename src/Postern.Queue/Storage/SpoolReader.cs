using Microsoft.Extensions.Logging;
using Postern.Core.Queueing;
using Postern.Queue.Spooling;

namespace Postern.Queue.Storage;

/// <summary>Reads committed messages from queue/ with their recipient states, for delivery and for the CLI's views.</summary>
internal sealed class SpoolReader(SpoolPaths paths, SpoolJournal journal, CorruptMessages corrupt, ILogger logger)
{
    private const int FileBufferSize = 64 * 1024;

    /// <summary>
    /// Loads a committed message for delivery; null when it is gone. A file that fails validation
    /// is moved to corrupt/ and null returned.
    /// </summary>
    public SpoolEntry? Load(QueueId id)
    {
        var path = paths.Message(id);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return Read(id, path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (SpoolFormatException ex)
        {
            corrupt.MoveAside(id, ex.Message);
            return null;
        }
    }

    /// <summary>The message at <paramref name="path"/> with its journal; throws for a file that is gone or fails validation.</summary>
    public SpoolEntry Read(QueueId id, string path) => Read(id, path, out _);

    /// <summary>As <see cref="Read(QueueId, string)"/>, with the journal's entries as read (the views show their replies).</summary>
    public SpoolEntry Read(QueueId id, string path, out IReadOnlyList<JournalEntry> entries) =>
        WithJournal(id, path, SpoolFormat.Read(path), out entries);

    /// <summary>The message of an already validated <paramref name="header"/> with its journal (recovery validates first, then reads the journal).</summary>
    public SpoolEntry WithJournal(QueueId id, string path, SpoolHeader header, out IReadOnlyList<JournalEntry> entries)
    {
        entries = journal.Read(id, out var skipped);
        if (skipped > 0)
        {
            logger.JournalLinesSkipped(id.Value, skipped);
        }
        var message = new QueuedMessage(id, header.Envelope, header.BodyLength, () => OpenBody(path, header));
        return new SpoolEntry(message, header.QueuedAt, entries);
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
}
