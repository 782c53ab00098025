using Microsoft.Extensions.Logging;
using Postern.Core.Delivery;
using Postern.Core.Queueing;

namespace Postern.Queue;

/// <summary>The bounce sink until DSNs are built: logs each failure that would have been bounced.</summary>
public sealed class LoggingBounceSink(ILogger<LoggingBounceSink> logger) : IBounceSink
{
    public ValueTask ReportFailuresAsync(QueuedMessage message, IReadOnlyList<RecipientOutcome> failures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(failures);
        foreach (var failure in failures)
        {
            logger.BounceNotSent(message.Id.Value, failure.Recipient.Address.ToString(), failure.Reply.ToString());
        }
        return ValueTask.CompletedTask;
    }
}
