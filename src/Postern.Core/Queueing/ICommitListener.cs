namespace Postern.Core.Queueing;

/// <summary>
/// Told of every message an <see cref="IMessageQueue"/> has made durable, so delivery starts at
/// once instead of on the next scan. The queue's owner wires it: in the daemon the queue runner
/// listens; a one-shot submission (sendmail) has nobody listening.
/// </summary>
public interface ICommitListener
{
    /// <summary>
    /// Called once per message, after its commit is durable and before the commit returns (so
    /// before the client sees 250). Runs on the committing session's path: must not block or throw.
    /// </summary>
    void Committed(QueueId id);
}
