using Postern.Core.Queueing;

namespace Postern.Server.Session;

/// <summary>
/// Stands in for a spool file when the message is discarded before DATA: the bytes are read (the
/// dialogue must stay in step) and dropped. The id only ties the reply to the mail log line.
/// </summary>
internal sealed class DiscardingMessageWriter(QueueId id) : IMessageWriter
{
    public QueueId Id { get; } = id;

    public Stream Body => Stream.Null;

    public ValueTask CommitAsync(CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A discarded message is never committed");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
