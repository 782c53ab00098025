namespace Postern.Core.Queueing;

/// <summary>A committed message as delivery sees it: its envelope and a way to read its bytes.</summary>
public sealed record QueuedMessage(QueueId Id, Envelope Envelope, long BodyLength, Func<Stream> OpenBody);
