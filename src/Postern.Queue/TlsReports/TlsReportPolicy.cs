using System.Text.Json.Serialization;

namespace Postern.Queue.TlsReports;

/// <summary>RFC 8460 section 4.4 "policy": "tlsa", "sts" or "no-policy-found", its text, domain and MX hosts.</summary>
public sealed record TlsReportPolicy(
    [property: JsonPropertyName("policy-type")] string PolicyType,
    [property: JsonPropertyName("policy-string")] IReadOnlyList<string>? PolicyString,
    [property: JsonPropertyName("policy-domain")] string PolicyDomain,
    [property: JsonPropertyName("mx-host")] IReadOnlyList<string>? MxHost);
