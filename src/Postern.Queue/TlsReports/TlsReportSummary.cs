using System.Text.Json.Serialization;

namespace Postern.Queue.TlsReports;

/// <summary>RFC 8460 section 4.4 "summary".</summary>
public sealed record TlsReportSummary(
    [property: JsonPropertyName("total-successful-session-count")] long TotalSuccessfulSessionCount,
    [property: JsonPropertyName("total-failure-session-count")] long TotalFailureSessionCount);
