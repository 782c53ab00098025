using System.Text.Json.Serialization;

namespace Postern.Queue.Storage;

/// <summary>Source-generated JSON for the spool envelope line and journal lines (no reflection, trimmable).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(SpoolRecord))]
[JsonSerializable(typeof(JournalEntry))]
internal sealed partial class SpoolJsonContext : JsonSerializerContext;
