using Postern.Core.Delivery;
using Postern.Core.Queueing;

namespace Postern.Queue;

/// <summary>
/// Where the queue runner hands recipients that failed for good, so a DSN (bounce) can be sent to
/// the sender. Called once per attempt that produced failures, with those failures only; when it
/// returns, the failures are journaled as reported and never handed over again. Throwing leaves
/// them unreported and the message in the queue, to be retried.
/// </summary>
public interface IBounceSink
{
    ValueTask ReportFailuresAsync(QueuedMessage message, IReadOnlyList<RecipientOutcome> failures, CancellationToken cancellationToken);
}
