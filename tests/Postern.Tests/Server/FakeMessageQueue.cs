using System.Collections.Concurrent;
using Postern.Core.Queueing;

namespace Postern.Tests.Server;

/// <summary>An in-memory queue for dialog tests; can be told to fail like a full disk.</summary>
internal sealed class FakeMessageQueue : IMessageQueue
{
    public ConcurrentQueue<(Envelope Envelope, byte[] Bytes)> Committed { get; } = new();

    public int Aborted;

    /// <summary>How many messages were begun (a spool file opened), committed or not.</summary>
    public int Begun;

    public bool FailOnBegin { get; set; }

    /// <summary>Writes fail once this many bytes were written (disk full).</summary>
    public long? FailAfterBytes { get; set; }

    public bool FailOnCommit { get; set; }

    public ValueTask<IMessageWriter> BeginMessageAsync(Envelope envelope, CancellationToken cancellationToken) =>
        BeginMessageAsync(envelope, QueueId.New(TimeProvider.System), cancellationToken);

    public ValueTask<IMessageWriter> BeginMessageAsync(Envelope envelope, QueueId id, CancellationToken cancellationToken)
    {
        if (FailOnBegin)
        {
            throw new IOException("No space left on device");
        }
        Interlocked.Increment(ref Begun);
        return ValueTask.FromResult<IMessageWriter>(new Writer(this, envelope, id));
    }

    private sealed class Writer(FakeMessageQueue queue, Envelope envelope, QueueId id) : IMessageWriter
    {
        private readonly FailingMemoryStream _body = new(queue.FailAfterBytes);
        private bool _committed;

        public QueueId Id { get; } = id;

        public Stream Body => _body;

        public ValueTask CommitAsync(CancellationToken cancellationToken) => CommitAsync(null, cancellationToken);

        /// <summary>A quarantined commit is recorded as the envelope with its reason, as the spool keeps it.</summary>
        public ValueTask CommitAsync(string? quarantineReason, CancellationToken cancellationToken)
        {
            if (queue.FailOnCommit)
            {
                throw new IOException("fsync failed");
            }
            _committed = true;
            var committed = quarantineReason is null ? envelope : envelope with { QuarantineReason = quarantineReason };
            queue.Committed.Enqueue((committed, _body.ToArray()));
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            if (!_committed)
            {
                Interlocked.Increment(ref queue.Aborted);
            }
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FailingMemoryStream(long? failAfter) : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (failAfter is { } limit && Length + buffer.Length > limit)
            {
                throw new IOException("No space left on device");
            }
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
