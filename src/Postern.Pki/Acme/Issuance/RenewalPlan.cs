namespace Postern.Pki.Acme.Issuance;

/// <summary>When the next renewal attempt is due and why (<see cref="RenewalReasons"/>).</summary>
public sealed record RenewalPlan(DateTimeOffset At, string Reason)
{
    public bool IsDue(DateTimeOffset now) => At <= now;
}
