using System.Text.Json.Serialization;

namespace Postern.Tools.Check;

/// <summary>Source-generated JSON for <c>postern check --json</c> (no reflection at run time).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CheckReportDocument))]
[JsonSerializable(typeof(Domain.DomainCheckDocument))]
internal sealed partial class CheckJsonContext : JsonSerializerContext;
