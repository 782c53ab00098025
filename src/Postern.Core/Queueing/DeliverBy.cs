namespace Postern.Core.Queueing;

/// <summary>A MAIL BY= request (RFC 2852), with the deadline made absolute when the message was accepted.</summary>
/// <param name="Deadline">When delivery must have happened.</param>
/// <param name="Mode">R or N.</param>
/// <param name="Trace">The T modifier: report the delivery (a delivered/relayed DSN) as well.</param>
public sealed record DeliverBy(DateTimeOffset Deadline, DeliverByMode Mode, bool Trace)
{
    /// <summary>True from an R-mode deadline on: nothing more may be tried, the message is returned.</summary>
    public bool ReturnDue(DateTimeOffset now) => Mode == DeliverByMode.Return && now >= Deadline;
}
