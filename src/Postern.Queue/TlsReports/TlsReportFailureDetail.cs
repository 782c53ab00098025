using System.Text.Json.Serialization;

namespace Postern.Queue.TlsReports;

/// <summary>One element of RFC 8460 section 4.4 "failure-details"; absent fields are left out.</summary>
public sealed record TlsReportFailureDetail(
    [property: JsonPropertyName("result-type")] string ResultType,
    [property: JsonPropertyName("sending-mta-ip")] string? SendingMtaIp,
    [property: JsonPropertyName("receiving-mx-hostname")] string? ReceivingMxHostname,
    [property: JsonPropertyName("receiving-ip")] string? ReceivingIp,
    [property: JsonPropertyName("failed-session-count")] long FailedSessionCount,
    [property: JsonPropertyName("additional-information")] string? AdditionalInformation);
