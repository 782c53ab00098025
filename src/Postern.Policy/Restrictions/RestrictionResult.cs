using Postern.Core.Smtp;

namespace Postern.Policy.Restrictions;

/// <summary>
/// One restriction's answer: the outcome, the reply when rejecting, a detail for the log and the
/// map line that fired (<c>file:line</c>) when one did.
/// </summary>
/// <param name="Outcome">Permit, Reject, Dunno, Discard or Quarantine.</param>
/// <param name="Detail">Why, for the mail log and <c>postern access check</c>.</param>
public sealed record RestrictionResult(RestrictionOutcome Outcome, string Detail)
{
    /// <summary>The reply for <see cref="RestrictionOutcome.Reject"/>; null otherwise.</summary>
    public SmtpReply? Reply { get; init; }

    /// <summary>The access-map line that fired, <c>file:line</c>; null when none did.</summary>
    public string? Source { get; init; }

    /// <summary>
    /// A permit that authorises relaying (a trusted client, or a destination Postern serves).
    /// At the RCPT stage a permit without it (an access-map OK, <c>permit</c>) never accepts a
    /// recipient in a domain that is neither local nor a relay domain.
    /// </summary>
    public bool Relays { get; init; }

    /// <summary>The quarantine reason for <see cref="RestrictionOutcome.Quarantine"/>.</summary>
    public string? QuarantineReason { get; init; }

    /// <summary>The mail log's reason for a refusal, when not the usual <c>name: detail</c> (a fixed check keeps its own wording).</summary>
    public string? LogReason { get; init; }

    /// <summary>The metrics rule for a refusal, when not the restriction's name (see <see cref="Core.Policy.PolicyDecision.Rule"/>).</summary>
    public string? Rule { get; init; }

    public static RestrictionResult Dunno(string detail) => new(RestrictionOutcome.Dunno, detail);

    public static RestrictionResult Permit(string detail, bool relays) => new(RestrictionOutcome.Permit, detail) { Relays = relays };

    public static RestrictionResult Reject(SmtpReply reply, string detail) => new(RestrictionOutcome.Reject, detail) { Reply = reply };
}
