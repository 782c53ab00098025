using Postern.Core.Queueing;

namespace Postern.Queue.Storage;

/// <summary>A validated spool file: the envelope and where in the file the message bytes are.</summary>
internal sealed record SpoolHeader(Envelope Envelope, DateTimeOffset QueuedAt, long BodyOffset, long BodyLength);
