using System.Diagnostics.Metrics;

namespace Postern.Milter.Telemetry;

/// <summary>
/// The milter client's instruments on the process's <c>Postern</c> meter. Label values are the
/// configured milter names and fixed words (stages, replies, failure kinds, actions), so the
/// series count stays bounded whatever a milter sends.
/// </summary>
public sealed class MilterMetrics
{
    private readonly Counter<long> _replies;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _edits;

    public MilterMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _replies = meter.CreateCounter<long>(
            "postern.milter.replies", "{reply}", "Milter replies by milter, stage and reply (continue, accept, reject, tempfail, replycode, discard, quarantine, skip, shutdown)");
        _failures = meter.CreateCounter<long>(
            "postern.milter.failures", "{failure}", "Milters that failed a session (connect, timeout, protocol, closed), by milter and kind; the default action applied");
        _edits = meter.CreateCounter<long>(
            "postern.milter.edits", "{edit}", "Modifications milters made at end of message, by milter and action (addheader, insheader, chgheader, replbody, addrcpt, delrcpt, chgfrom)");
    }

    internal void Reply(string milter, string stage, string reply) =>
        _replies.Add(1, new("milter", milter), new("stage", stage), new("reply", reply));

    internal void Failure(string milter, string kind) =>
        _failures.Add(1, new("milter", milter), new("kind", kind));

    internal void Edit(string milter, string action) =>
        _edits.Add(1, new("milter", milter), new("action", action));
}
