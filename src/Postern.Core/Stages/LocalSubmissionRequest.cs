using Postern.Core.Queueing;

namespace Postern.Core.Stages;

/// <summary>One local submission for <see cref="ILocalSubmissionFilter"/>.</summary>
/// <param name="Envelope">The envelope as submitted (already checked by the local submission rules).</param>
/// <param name="UserName">The submitting user's login name (from the uid the kernel reports), which handlers see as the authenticated user.</param>
/// <param name="Message">The message as submitted, header section and body, read once from its current position.</param>
/// <param name="TraceHeader">The trace header field for the queued message, given its envelope (as the handlers left it) and queue id; CRLF-terminated.</param>
public sealed record LocalSubmissionRequest(Envelope Envelope, string UserName, Stream Message, Func<Envelope, QueueId, string> TraceHeader);
