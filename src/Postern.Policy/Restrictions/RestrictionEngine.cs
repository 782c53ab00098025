using Postern.Core.Policy;

namespace Postern.Policy.Restrictions;

/// <summary>
/// Evaluates a stage's list in order: the first Permit, Reject or Discard ends it; Dunno goes on;
/// Quarantine is remembered and goes on (a later reject still wins). The end of the list permits
/// the stage. At RCPT, whatever is configured: the address-trick check runs first, a permit that
/// does not authorise relaying (OK, permit) is ignored for a domain Postern does not serve, and
/// the end of the list refuses such a domain. Every step goes into the trace.
/// </summary>
internal sealed class RestrictionEngine
{
    private static readonly RoutingTricks Tricks = new();
    private readonly IReadOnlyList<IRestriction>[] _lists;

    /// <param name="lists">The configured lists.</param>
    /// <param name="implicitMail">Restrictions the configuration implies (not listed by name) that head the MAIL list.</param>
    public RestrictionEngine(RestrictionLists lists, IReadOnlyList<IRestriction>? implicitMail = null)
    {
        ArgumentNullException.ThrowIfNull(lists);
        // The address-trick check heads the RCPT list once, here, rather than on every recipient.
        _lists = [.. Enum.GetValues<RestrictionStage>().Select(stage => stage switch
        {
            RestrictionStage.Rcpt => [Tricks, .. RestrictionCatalog.Resolve(stage, lists.For(stage))],
            RestrictionStage.Mail when implicitMail is { Count: > 0 } => [.. implicitMail, .. RestrictionCatalog.Resolve(stage, lists.For(stage))],
            _ => RestrictionCatalog.Resolve(stage, lists.For(stage)),
        })];
    }

    public StageEvaluation Evaluate(RestrictionContext context)
    {
        var stage = context.Stage;
        var steps = new List<RestrictionStep>();
        RestrictionStep? quarantine = null;
        foreach (var restriction in _lists[(int)stage])
        {
            var result = restriction.Evaluate(context);
            if (stage == RestrictionStage.Rcpt && result.Outcome == RestrictionOutcome.Permit && !result.Relays && !context.IsAuthorizedDestination)
            {
                steps.Add(new RestrictionStep(restriction.Name, result, "does not authorise relaying to " + context.Recipient!.Domain + "; going on"));
                continue;
            }
            var step = new RestrictionStep(restriction.Name, result);
            steps.Add(step);
            switch (result.Outcome)
            {
                case RestrictionOutcome.Dunno:
                    continue;
                case RestrictionOutcome.Quarantine:
                    quarantine ??= step;
                    continue;
                case RestrictionOutcome.Reject:
                    var reply = stage == RestrictionStage.Connect ? result.Reply!.AsGreetingRefusal() : result.Reply!;
                    return new StageEvaluation(stage, steps, PolicyDecision.Reject(reply, result.LogReason ?? Reason(step)) with { Rule = result.Rule });
                case RestrictionOutcome.Discard:
                    return new StageEvaluation(stage, steps, PolicyDecision.Discard(Reason(step)));
                default:
                    return new StageEvaluation(stage, steps, Accepted(quarantine, Reason(step)));
            }
        }
        if (stage == RestrictionStage.Rcpt && !context.IsAuthorizedDestination)
        {
            // The configuration check makes this unreachable; it stays as the last line of defence.
            var denied = new RestrictionStep(
                RejectUnauthDestination.RestrictionName,
                RejectUnauthDestination.Deny(context.Recipient!, "end of recipient restrictions, and " + context.Recipient!.Domain + " is not a local or relay domain"),
                "implicit");
            steps.Add(denied);
            return new StageEvaluation(stage, steps, PolicyDecision.Reject(denied.Result.Reply!, Reason(denied)));
        }
        return new StageEvaluation(stage, steps, Accepted(quarantine, "end of " + RestrictionCatalog.StageWord(stage) + " restrictions"));
    }

    /// <summary>The log reason: the rule, the map line that fired, and why (<c>check_recipient_access: /etc/mail/access:12 To:spam.example REJECT</c>).</summary>
    public static string Reason(RestrictionStep step) =>
        step.Name + ": " + (step.Result.Source is { } source ? source + " " : "") + step.Result.Detail;

    private static PolicyDecision Accepted(RestrictionStep? quarantine, string reason) =>
        quarantine is null
            ? PolicyDecision.Accept(reason)
            : PolicyDecision.Quarantine((quarantine.Result.QuarantineReason ?? "quarantined") + " (" + Reason(quarantine) + ")");
}
