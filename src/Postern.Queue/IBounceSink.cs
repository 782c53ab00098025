using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Queue.Dsn;

namespace Postern.Queue;

/// <summary>
/// Where the queue runner hands recipients to report to the sender as a DSN: failures for good
/// (a bounce), delays (a warning, or a DELIVERBY N deadline passed) and SUCCESS notices (delivered
/// locally, or relayed to a next hop without DSN). Called with the recipients of one action only;
/// when it returns, they are journaled as reported and never handed over again for that report.
/// Throwing leaves them unreported and the message in the queue, to be retried.
/// </summary>
public interface IBounceSink
{
    /// <param name="message">The message reported on.</param>
    /// <param name="outcomes">The recipients, each with the reply that explains it.</param>
    /// <param name="action">The same action for every recipient listed.</param>
    /// <param name="willRetryUntil">For <see cref="DsnAction.Delayed"/>: when the queue gives up; else null.</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    ValueTask ReportAsync(
        QueuedMessage message,
        IReadOnlyList<RecipientOutcome> outcomes,
        DsnAction action,
        DateTimeOffset? willRetryUntil,
        CancellationToken cancellationToken);
}
