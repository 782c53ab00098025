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
}
