using System.Text.Json;

namespace Postern.EndToEnd.Fixtures.Milters;

/// <summary>One callback <see cref="ActionsMilter"/> reported: its connection number, the stage, the arguments and the macros it saw.</summary>
public sealed record MilterCallback(int Connection, string Stage, JsonElement Arguments, IReadOnlyDictionary<string, string> Macros, string Line)
{
    public static MilterCallback Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        return new MilterCallback(
            root.GetProperty("connection").GetInt32(),
            root.GetProperty("stage").GetString()!,
            root.GetProperty("arguments").Clone(),
            root.GetProperty("macros").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            line);
    }

    /// <summary>A string argument (sender, recipient, name...), or null.</summary>
    public string? Argument(string name) =>
        Arguments.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A list argument (headers, actions, parameters).</summary>
    public IReadOnlyList<string> ArgumentList(string name) =>
        Arguments.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(e => e.ToString())] : [];

    public override string ToString() => Line;
}
