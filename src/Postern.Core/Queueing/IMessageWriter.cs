namespace Postern.Core.Queueing;

/// <summary>
/// One message being written to the spool. Write the message bytes (headers and body, with CRLF
/// line ends, not dot-stuffed) to <see cref="Body"/>, then <see cref="CommitAsync(CancellationToken)"/>.
/// </summary>
public interface IMessageWriter : IAsyncDisposable
{
    QueueId Id { get; }

    /// <summary>The message bytes go here. Writes may throw <see cref="IOException"/> (disk full...).</summary>
    Stream Body { get; }

    /// <summary>
    /// Makes the message durable (fsync of file and directory) and hands it to delivery. Only after
    /// this returns may the server answer 250. Throws <see cref="IOException"/> when it could not.
    /// </summary>
    ValueTask CommitAsync(CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="CommitAsync(CancellationToken)"/>, but when <paramref name="quarantineReason"/>
    /// (or the envelope's <see cref="Envelope.QuarantineReason"/>) is set the message is committed
    /// on hold with that reason, atomically: it is never visible to delivery un-held, not even
    /// after a crash. A queue that cannot hold messages must not accept a quarantined one.
    /// </summary>
    ValueTask CommitAsync(string? quarantineReason, CancellationToken cancellationToken) =>
        quarantineReason is null
            ? CommitAsync(cancellationToken)
            : throw new NotSupportedException("This queue cannot hold quarantined messages");
}
