using System.Text;

namespace Postern.Config;

/// <summary>Writes TOML line by line: sections, arrays of tables, keys, comments; a blank line before each section.</summary>
public sealed class TomlBuilder
{
    private readonly StringBuilder _text = new();

    public void Comment(string text) => _text.Append("# ").Append(text).Append('\n');

    public void Section(string name) => Header("[" + name + "]");

    public void ArraySection(string name) => Header("[[" + name + "]]");

    public void Key(string key, string literal) => _text.Append(key).Append(" = ").Append(literal).Append('\n');

    /// <summary>A path key, left out when the path is not set.</summary>
    public void OptionalPath(string key, string? path)
    {
        if (path is not null)
        {
            Key(key, TomlText.String(path));
        }
    }

    public override string ToString() => _text.ToString();

    private void Header(string header)
    {
        if (_text.Length > 0)
        {
            _text.Append('\n');
        }
        _text.Append(header).Append('\n');
    }
}
