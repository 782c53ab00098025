using Postern.Core.Queueing;
using Postern.Core.Smtp;

namespace Postern.Core.Stages;

/// <summary>What became of a local submission: queued (maybe on hold), refused for good, refused for now, or discarded.</summary>
/// <param name="Outcome">Which of these.</param>
/// <param name="Reason">The deciding handler's reason for the mail log ("accepted" when queued without objection).</param>
public sealed record LocalSubmissionResult(LocalSubmissionOutcome Outcome, string Reason)
{
    /// <summary>The queue id when <see cref="LocalSubmissionOutcome.Queued"/>.</summary>
    public QueueId? Id { get; init; }

    /// <summary>The handler's reply when refused (5xx) or deferred (4xx).</summary>
    public SmtpReply? Reply { get; init; }

    /// <summary>The stage that refused, deferred or discarded it (<c>connect</c>, <c>rcpt</c>, <c>data</c>...).</summary>
    public string? Stage { get; init; }

    /// <summary>Queued on hold: the quarantine reason.</summary>
    public string? QuarantineReason { get; init; }
}
