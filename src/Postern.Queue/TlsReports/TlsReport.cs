using System.Text.Json.Serialization;

namespace Postern.Queue.TlsReports;

/// <summary>An aggregate report as RFC 8460 section 4 defines it, with its field names exactly.</summary>
public sealed record TlsReport(
    [property: JsonPropertyName("organization-name")] string OrganizationName,
    [property: JsonPropertyName("date-range")] TlsReportDateRange DateRange,
    [property: JsonPropertyName("contact-info")] string ContactInfo,
    [property: JsonPropertyName("report-id")] string ReportId,
    [property: JsonPropertyName("policies")] IReadOnlyList<TlsReportPolicyEntry> Policies);
