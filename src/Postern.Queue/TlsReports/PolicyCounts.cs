using Postern.Core.TlsReporting;

namespace Postern.Queue.TlsReports;

/// <summary>
/// The sessions held to one policy (RFC 8460 section 4.3's "policies" entry): its type and text,
/// the MX hosts it covered, the summary counts and the failure rows.
/// </summary>
public sealed class PolicyCounts
{
    public TlsReportPolicyType Type { get; set; }

    public List<string> Strings { get; set; } = [];

    public List<string> MxHosts { get; set; } = [];

    public long Successes { get; set; }

    public long Failures { get; set; }

    public List<FailureCounts> Details { get; set; } = [];

    /// <summary>Failures counted in <see cref="Failures"/> that got no row (the row cap was reached).</summary>
    public long UnlistedFailures { get; set; }

    public bool Matches(TlsReportPolicyType type, IReadOnlyList<string> strings) =>
        Type == type && Strings.SequenceEqual(strings, StringComparer.Ordinal);
}
