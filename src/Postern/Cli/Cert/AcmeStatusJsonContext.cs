using System.Text.Json.Serialization;

namespace Postern.Cli.Cert;

/// <summary>Source-generated JSON for <c>cert acme status --json</c>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AcmeStatusReport))]
internal sealed partial class AcmeStatusJsonContext : JsonSerializerContext;
