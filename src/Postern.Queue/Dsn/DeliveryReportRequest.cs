using Postern.Core.Delivery;
using Postern.Core.Queueing;

namespace Postern.Queue.Dsn;

/// <summary>What a delivery status notification reports on.</summary>
/// <param name="Message">The message the report is about; its bytes are read from <see cref="QueuedMessage.OpenBody"/>.</param>
/// <param name="Outcomes">The recipients to report, each with the reply that explains it. NOTIFY is applied by the builder.</param>
/// <param name="Action">The same action for every recipient listed.</param>
/// <param name="ReportingMta">This host's name: Reporting-MTA and the MAILER-DAEMON address.</param>
/// <param name="Now">When the report is made: Date and Last-Attempt-Date.</param>
public sealed record DeliveryReportRequest(
    QueuedMessage Message,
    IReadOnlyList<RecipientOutcome> Outcomes,
    DsnAction Action,
    string ReportingMta,
    DateTimeOffset Now)
{
    /// <summary>RET=FULL (or unspecified) returns the whole message only up to this size; above it, its headers.</summary>
    public const long DefaultReturnLimit = 128 * 1024;

    /// <summary>Arrival-Date; the envelope's ReceivedAt when not set.</summary>
    public DateTimeOffset? ArrivalDate { get; init; }

    /// <summary>Who the report goes to; the envelope sender when null (a double bounce names the postmaster).</summary>
    public Core.Addressing.Mailbox? To { get; init; }

    /// <summary>True for a report to the postmaster about a failed bounce: NOTIFY is not consulted (the bounce asked for none).</summary>
    public bool IgnoreNotify { get; init; }

    /// <summary>Largest original returned in full; also caps how much of the header section is returned.</summary>
    public long ReturnLimit { get; init; } = DefaultReturnLimit;

    /// <summary>Will-Retry-Until for delay reports, or null.</summary>
    public DateTimeOffset? WillRetryUntil { get; init; }
}
