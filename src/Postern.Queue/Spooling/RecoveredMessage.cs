using Postern.Core.Queueing;

namespace Postern.Queue.Spooling;

/// <summary>A good message found at start: its id and when the runner next needs it (null: at once).</summary>
internal readonly record struct RecoveredMessage(QueueId Id, DateTimeOffset? DueAt);
