using System.Text.Json.Serialization;

namespace Postern.Delivery.MtaSts;

/// <summary>Source-generated JSON for the policy cache files.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(MtaStsCacheFile))]
internal sealed partial class MtaStsCacheJsonContext : JsonSerializerContext;
