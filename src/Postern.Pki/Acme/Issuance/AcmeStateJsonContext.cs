using System.Text.Json.Serialization;

namespace Postern.Pki.Acme.Issuance;

/// <summary>Source-generated JSON for account.json and state.json (no reflection at run time).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AcmeState))]
[JsonSerializable(typeof(AcmeAccountRecord))]
internal sealed partial class AcmeStateJsonContext : JsonSerializerContext;
