namespace Postern.Filters.Authentication.Dmarc;

/// <summary>
/// What the DMARC evaluation found: the result, the RFC5322.From domain, the policy that
/// applies to it (p= or sp=; null without a record), what to do with this message
/// (the policy, or less after pct= sampling; none when the message passed), and a reason for the mail log.
/// </summary>
public sealed record DmarcOutcome(DmarcResult Result, string? FromDomain, DmarcPolicy? Policy, DmarcPolicy Disposition, string Reason)
{
    public string ResultName => Result.ToString().ToLowerInvariant();
}
