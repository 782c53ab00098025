using System.Threading.Channels;
using Postern.Core.Queueing;

namespace Postern.Queue;

/// <summary>
/// The handoff from the spool to the queue runner: the spool reports each durable commit here
/// (<see cref="ICommitListener"/>), the runner takes the ids in order and schedules an attempt.
/// The composition root creates one and gives it to both. Unbounded: a commit never waits for
/// the runner.
/// </summary>
public sealed class CommittedMessages : ICommitListener
{
    private readonly Channel<QueueId> _ids = Channel.CreateUnbounded<QueueId>(new UnboundedChannelOptions { SingleReader = true });

    public void Committed(QueueId id) => _ids.Writer.TryWrite(id);

    /// <summary>The committed ids not taken yet, for the runner (and tests).</summary>
    internal ChannelReader<QueueId> Reader => _ids.Reader;
}
