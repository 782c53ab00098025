using System.Threading.Channels;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Queue;
using Postern.Queue.Dsn;

namespace Postern.Tests.Queue;

internal sealed class RecordingBounceSink : IBounceSink
{
    /// <summary>Failure reports (bounces).</summary>
    public Channel<(QueueId Id, IReadOnlyList<RecipientOutcome> Failures)> Reports { get; } =
        Channel.CreateUnbounded<(QueueId, IReadOnlyList<RecipientOutcome>)>();

    /// <summary>Every other report: delay warnings and SUCCESS notices.</summary>
    public Channel<(QueueId Id, IReadOnlyList<RecipientOutcome> Outcomes, DsnAction Action, DateTimeOffset? WillRetryUntil)> Notices { get; } =
        Channel.CreateUnbounded<(QueueId, IReadOnlyList<RecipientOutcome>, DsnAction, DateTimeOffset?)>();

    /// <summary>How many upcoming calls throw before the sink accepts.</summary>
    public int FailuresToThrow { get; set; }

    public ValueTask ReportAsync(
        QueuedMessage message, IReadOnlyList<RecipientOutcome> outcomes, DsnAction action, DateTimeOffset? willRetryUntil, CancellationToken cancellationToken)
    {
        if (action == DsnAction.Failed)
        {
            Reports.Writer.TryWrite((message.Id, outcomes));
        }
        else
        {
            Notices.Writer.TryWrite((message.Id, outcomes, action, willRetryUntil));
        }
        if (FailuresToThrow > 0)
        {
            FailuresToThrow--;
            throw new InvalidOperationException("bounce queue unavailable");
        }
        return ValueTask.CompletedTask;
    }
}
