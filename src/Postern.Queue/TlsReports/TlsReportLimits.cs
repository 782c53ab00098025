namespace Postern.Queue.TlsReports;

/// <summary>
/// What one report period may hold, so that neither memory nor the files under tls-reports/
/// grow with the traffic: sessions beyond a cap are still seen but only counted as dropped.
/// </summary>
public sealed record TlsReportLimits
{
    /// <summary>Policy domains per period; a session for a further domain counts as dropped.</summary>
    public int MaxDomains { get; init; } = 10_000;

    /// <summary>Distinct policies per domain (a TLSA set per MX host, an STS policy and its successors).</summary>
    public int MaxPoliciesPerDomain { get; init; } = 16;

    /// <summary>"failure-details" rows per policy; further failures count in the summary without a row.</summary>
    public int MaxFailureDetails { get; init; } = 64;

    /// <summary>Entries of a policy's "mx-host" list.</summary>
    public int MaxMxHosts { get; init; } = 16;

    /// <summary>Lines of a policy's "policy-string" (the TLSA records or the STS policy lines).</summary>
    public int MaxPolicyStrings { get; init; } = 32;

    /// <summary>Characters of any one text kept (a policy line, a host name, additional-information).</summary>
    public int MaxTextLength { get; init; } = 1024;

    /// <summary>Roughly the text one period holds in all; beyond it new domains, policies and rows are dropped.</summary>
    public long MaxPeriodCharacters { get; init; } = 32L * 1024 * 1024;

    public static TlsReportLimits Default { get; } = new();
}
