using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Postern.Config;

/// <summary>TOML literals for the values Postern writes (config show, import-mc).</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Named after the TOML value types they write.")]
public static class TomlText
{
    /// <summary>A basic string with the escapes TOML requires.</summary>
    public static string String(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                < ' ' or '\u007f' => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => builder.Append(c),
            };
        }
        return builder.Append('"').ToString();
    }

    public static string Array(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(String)) + "]";

    public static string Boolean(bool value) => value ? "true" : "false";

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);
}
