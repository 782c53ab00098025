using System.Text.Json.Serialization;

namespace Postern.Queue.TlsReports;

/// <summary>
/// Source-generated JSON: the RFC 8460 report (names given per property, absent fields omitted)
/// and the period files under tls-reports/ (camelCase, enums by name).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TlsReport))]
[JsonSerializable(typeof(PeriodCounts))]
[JsonSerializable(typeof(List<PeriodCounts>))]
public sealed partial class TlsReportJsonContext : JsonSerializerContext;
