using System.Text.Json.Serialization;

namespace Postern.Queue.TlsReports;

/// <summary>One element of "policies": the policy, its summary and (when any failed) the failure rows.</summary>
public sealed record TlsReportPolicyEntry(
    [property: JsonPropertyName("policy")] TlsReportPolicy Policy,
    [property: JsonPropertyName("summary")] TlsReportSummary Summary,
    [property: JsonPropertyName("failure-details")] IReadOnlyList<TlsReportFailureDetail>? FailureDetails);
