using Postern.Core.Smtp;

namespace Postern.Core.Policy;

/// <summary>
/// A policy decision: the verdict, the reply for the client when rejecting (4xx or 5xx) and an
/// internal reason for the mail log that the client never sees.
/// </summary>
public sealed record PolicyDecision(PolicyVerdict Verdict, SmtpReply? Reply, string Reason)
{
    /// <summary>
    /// The rule to count a refusal under in the metrics, for a fixed check whose reason does not
    /// start with a rule name; null: the first word of <see cref="Reason"/>.
    /// </summary>
    public string? Rule { get; init; }

    public static PolicyDecision Accept(string reason) => new(PolicyVerdict.Accept, null, reason);

    public static PolicyDecision Reject(SmtpReply reply, string reason)
    {
        if (reply.IsPositive)
        {
            throw new ArgumentException("A rejection needs a 4xx or 5xx reply", nameof(reply));
        }
        return new PolicyDecision(PolicyVerdict.Reject, reply, reason);
    }

    /// <summary>A temporary refusal (4xx): the client may try again later.</summary>
    public static PolicyDecision TempFail(SmtpReply reply, string reason)
    {
        if (!reply.IsTransientFailure)
        {
            throw new ArgumentException("A temporary failure needs a 4xx reply", nameof(reply));
        }
        return new PolicyDecision(PolicyVerdict.Reject, reply, reason);
    }

    /// <summary>Accepted for the client, dropped by the server (sendmail's DISCARD).</summary>
    public static PolicyDecision Discard(string reason) => new(PolicyVerdict.Discard, null, reason);

    /// <summary>Accepted and held in the queue; <paramref name="reason"/> is the quarantine reason.</summary>
    public static PolicyDecision Quarantine(string reason) => new(PolicyVerdict.Quarantine, null, reason);

    /// <summary>True unless rejected: DISCARD and QUARANTINE answer the client as an acceptance does.</summary>
    public bool IsAccepted => Verdict != PolicyVerdict.Reject;
}
