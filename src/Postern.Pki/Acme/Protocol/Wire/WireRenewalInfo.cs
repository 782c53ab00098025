using System.Text.Json.Serialization;

namespace Postern.Pki.Acme.Protocol.Wire;

/// <summary>A renewalInfo object as sent (RFC 9773 4.2).</summary>
internal sealed class WireRenewalInfo
{
    public WireRenewalWindow? SuggestedWindow { get; set; }

    [JsonPropertyName("explanationURL")]
    public string? ExplanationUrl { get; set; }
}
