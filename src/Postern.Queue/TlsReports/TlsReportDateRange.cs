using System.Text.Json.Serialization;

namespace Postern.Queue.TlsReports;

/// <summary>RFC 8460 section 4.4 "date-range": RFC 3339 date-times, the end the period's last second.</summary>
public sealed record TlsReportDateRange(
    [property: JsonPropertyName("start-datetime")] string StartDatetime,
    [property: JsonPropertyName("end-datetime")] string EndDatetime);
