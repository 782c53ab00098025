using System.Text.Json.Serialization;

namespace Postern.Pki.Authority;

/// <summary>Source-generated JSON for the CA index (no reflection at run time).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CaIndexDocument))]
internal sealed partial class CaIndexJsonContext : JsonSerializerContext;
