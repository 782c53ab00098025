namespace Postern.Core.Queueing;

/// <summary>
/// Where accepted messages go. The server sees the queue only through this seam. Each durable
/// commit is reported to the queue's <see cref="ICommitListener"/>, given to it by its owner.
/// </summary>
public interface IMessageQueue
{
    /// <summary>
    /// Starts a message: the returned writer already has its queue id (for the Received header).
    /// Disposing the writer without committing discards everything written.
    /// </summary>
    ValueTask<IMessageWriter> BeginMessageAsync(Envelope envelope, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a message under <paramref name="id"/>, made beforehand with <see cref="QueueId.New"/>:
    /// a session chooses its transaction's id at MAIL, so stage handlers know it before the
    /// message exists (sendmail's <c>i</c> macro), and the spool file, the mail log and the
    /// Received header carry the same one. A queue that cannot take a chosen id gives a new one.
    /// </summary>
    ValueTask<IMessageWriter> BeginMessageAsync(Envelope envelope, QueueId id, CancellationToken cancellationToken) =>
        BeginMessageAsync(envelope, cancellationToken);
}
