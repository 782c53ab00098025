using Postern.Core.Queueing;

namespace Postern.Queue.Storage;

/// <summary>A MAIL BY= request on disk (RFC 2852), its deadline already absolute.</summary>
internal sealed record SpoolDeliverBy(DateTimeOffset Deadline, DeliverByMode Mode, bool Trace);
