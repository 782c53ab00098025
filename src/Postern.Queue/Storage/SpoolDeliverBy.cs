using Postern.Core.Queueing;

namespace Postern.Queue.Storage;

/// <summary>The DELIVERBY request on disk: the absolute deadline, R or N, and the trace flag.</summary>
internal sealed record SpoolDeliverBy(DateTimeOffset Deadline, DeliverByMode Mode, bool Trace);
