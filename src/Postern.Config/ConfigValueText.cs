using System.Globalization;
using Tomlyn;
using Tomlyn.Model;

namespace Postern.Config;

/// <summary>How a TOML value is shown after "got" in an error message.</summary>
internal static class ConfigValueText
{
    public static string Describe(object? value) => value switch
    {
        string s => Quote(s),
        long n => n.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        TomlDateTime t => $"the date-time {t}",
        TomlArray => "an array",
        TomlTable => "a table",
        TomlTableArray => "an array of tables",
        null => "nothing",
        _ => value.GetType().Name,
    };

    public static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\r", "\\r", StringComparison.Ordinal)
            .Replace("\t", "\\t", StringComparison.Ordinal) + "\"";
}
