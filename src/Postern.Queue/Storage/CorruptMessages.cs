using Microsoft.Extensions.Logging;
using Postern.Core.Queueing;

namespace Postern.Queue.Storage;

/// <summary>
/// Moves a message file that fails validation (with its journal) out of queue/ into corrupt/,
/// where an administrator can look at it; the queue goes on without it.
/// </summary>
internal sealed class CorruptMessages(SpoolPaths paths, TimeProvider clock, ILogger logger)
{
    public void MoveAside(QueueId id, string reason)
    {
        try
        {
            var target = Path.Combine(paths.Corrupt, id.Value + SpoolPaths.MessageExtension);
            if (File.Exists(target))
            {
                target = Path.Combine(paths.Corrupt, $"{id.Value}.{clock.GetUtcNow().ToUnixTimeMilliseconds()}{SpoolPaths.MessageExtension}");
            }
            File.Move(paths.Message(id), target);
            var journal = paths.Journal(id);
            if (File.Exists(journal))
            {
                File.Move(journal, Path.ChangeExtension(target, SpoolPaths.JournalExtension), overwrite: true);
            }
            logger.MovedCorrupt(id.Value, target, reason);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.MoveCorruptFailed(ex, id.Value, reason);
        }
    }
}
