using Microsoft.Extensions.Logging;
using Postern.Core.Queueing;
using Postern.Queue.Storage;

namespace Postern.Queue.Spooling;

/// <summary>
/// Start-up recovery: deletes unfinished files in tmp/ (never acknowledged), validates every
/// queue/*.msg and moves the bad ones to corrupt/, removes journals and hold markers whose message
/// is gone, and returns the ids of the good messages in queue order. Never throws for a bad file.
/// For the queue runner it also reads each good message's journal in the same pass and keeps only
/// when the message is next due (<see cref="RecoveredMessage"/>): a deep queue is read once at
/// start, and no envelope is kept.
/// </summary>
public sealed class SpoolRecovery
{
    private readonly SpoolPaths _paths;
    private readonly SpoolReader _reader;
    private readonly ActiveTempFiles _activeTempFiles;
    private readonly CorruptMessages _corrupt;
    private readonly ILogger _logger;

    internal SpoolRecovery(SpoolPaths paths, SpoolReader reader, ActiveTempFiles activeTempFiles, CorruptMessages corrupt, ILogger logger)
    {
        _paths = paths;
        _reader = reader;
        _activeTempFiles = activeTempFiles;
        _corrupt = corrupt;
        _logger = logger;
    }

    public Task<IReadOnlyList<QueueId>> RecoverAsync(CancellationToken cancellationToken) =>
        Task.Run<IReadOnlyList<QueueId>>(() => [.. Recover(dueAt: null, cancellationToken).Select(m => m.Id)], cancellationToken);

    /// <summary>
    /// As <see cref="RecoverAsync(CancellationToken)"/>, and asks <paramref name="dueAt"/> when each
    /// good message is next due (null: at once), from its envelope and journal read here.
    /// </summary>
    internal Task<IReadOnlyList<RecoveredMessage>> RecoverAsync(Func<SpoolEntry, DateTimeOffset?> dueAt, CancellationToken cancellationToken) =>
        Task.Run<IReadOnlyList<RecoveredMessage>>(() => Recover(dueAt, cancellationToken), cancellationToken);

    private List<RecoveredMessage> Recover(Func<SpoolEntry, DateTimeOffset?>? dueAt, CancellationToken cancellationToken)
    {
        _paths.EnsureCreated();
        RemoveUnfinished();
        var messages = new HashSet<QueueId>();
        var good = Validate(messages, dueAt, cancellationToken);
        RemoveOrphans(messages);
        _logger.Recovered(good.Count);
        return good;
    }

    /// <summary>Deletes tmp/ files no writer of this process is writing: unfinished messages and spares.</summary>
    private void RemoveUnfinished()
    {
        foreach (var path in Directory.EnumerateFiles(_paths.Tmp))
        {
            if (!_activeTempFiles.Contains(path))
            {
                File.Delete(path);
                if (!path.EndsWith(SpareFiles.Extension, StringComparison.Ordinal))
                {
                    // A spare is an empty file kept for reuse: nothing was lost with it.
                    _logger.RemovedTempFile(path);
                }
            }
        }
    }

    /// <summary>Reads every queue/*.msg: the good ones are returned in queue order, the bad ones moved aside; <paramref name="messages"/> gets both.</summary>
    private List<RecoveredMessage> Validate(HashSet<QueueId> messages, Func<SpoolEntry, DateTimeOffset?>? dueAt, CancellationToken cancellationToken)
    {
        var good = new List<RecoveredMessage>();
        foreach (var path in Directory.EnumerateFiles(_paths.Queue).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(path);
            if (SpoolPaths.TryParseFileName(name, SpoolPaths.MessageExtension, out var id))
            {
                messages.Add(id);
                SpoolHeader header;
                try
                {
                    header = SpoolFormat.Read(path);
                }
                catch (SpoolFormatException ex)
                {
                    _corrupt.MoveAside(id, ex.Message);
                    continue;
                }
                good.Add(new RecoveredMessage(id, dueAt is null ? null : DueAt(id, path, header, dueAt)));
            }
            else if (!SpoolPaths.TryParseFileName(name, SpoolPaths.JournalExtension, out _)
                && !SpoolPaths.TryParseFileName(name, SpoolPaths.HoldExtension, out _))
            {
                _logger.IgnoredFile(path);
            }
        }
        return good;
    }

    /// <summary>When the message is next due; null (at once) when its journal cannot be read here: the attempt reads it again and says why.</summary>
    private DateTimeOffset? DueAt(QueueId id, string path, SpoolHeader header, Func<SpoolEntry, DateTimeOffset?> dueAt)
    {
        try
        {
            return dueAt(_reader.WithJournal(id, path, header, out _));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void RemoveOrphans(HashSet<QueueId> messages)
    {
        foreach (var path in Directory.EnumerateFiles(_paths.Queue, "*" + SpoolPaths.JournalExtension))
        {
            if (SpoolPaths.TryParseFileName(Path.GetFileName(path), SpoolPaths.JournalExtension, out var id) && !messages.Contains(id))
            {
                File.Delete(path);
                _logger.RemovedOrphanJournal(path);
            }
        }
        foreach (var path in Directory.EnumerateFiles(_paths.Queue, "*" + SpoolPaths.HoldExtension))
        {
            // A quarantined message being committed right now has its marker before its message
            // file: spare markers of active temp files, and look again for the message (renamed in
            // since the scan above) before calling a marker an orphan.
            if (SpoolPaths.TryParseFileName(Path.GetFileName(path), SpoolPaths.HoldExtension, out var id)
                && !messages.Contains(id)
                && !_activeTempFiles.Contains(_paths.TempMessage(id))
                && !File.Exists(_paths.Message(id)))
            {
                File.Delete(path);
            }
        }
    }
}
