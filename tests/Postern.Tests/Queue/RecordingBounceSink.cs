using System.Threading.Channels;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Queue;

namespace Postern.Tests.Queue;

internal sealed class RecordingBounceSink : IBounceSink
{
    public Channel<(QueueId Id, IReadOnlyList<RecipientOutcome> Failures)> Reports { get; } =
        Channel.CreateUnbounded<(QueueId, IReadOnlyList<RecipientOutcome>)>();

    /// <summary>How many upcoming calls throw before the sink accepts.</summary>
    public int FailuresToThrow { get; set; }

    public ValueTask ReportFailuresAsync(QueuedMessage message, IReadOnlyList<RecipientOutcome> failures, CancellationToken cancellationToken)
    {
        Reports.Writer.TryWrite((message.Id, failures));
        if (FailuresToThrow > 0)
        {
            FailuresToThrow--;
            throw new InvalidOperationException("bounce queue unavailable");
        }
        return ValueTask.CompletedTask;
    }
}
