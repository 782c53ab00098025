using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Serialization;

namespace Postern.Config;

/// <summary>
/// Parses TOML into Tomlyn's table model with the source span of every key. Syntax is checked
/// first with the syntax parser because it reports every error, not only the first.
/// </summary>
internal static class TomlDocumentParser
{
    /// <summary>The root section, or null when the text is not valid TOML (errors reported).</summary>
    public static ConfigSection? Parse(string text, ConfigDiagnostics diagnostics)
    {
        var document = SyntaxParser.Parse(text, diagnostics.SourceName, validate: true);
        foreach (var message in document.Diagnostics.Where(m => m.Kind == Tomlyn.Syntax.DiagnosticMessageKind.Error))
        {
            diagnostics.Add(
                new SourceLocation(message.Span.Start.Line + 1, message.Span.Start.Column + 1),
                "",
                $"invalid TOML: {message.Message}");
        }
        if (diagnostics.HasErrors)
        {
            return null;
        }

        var store = new TomlMetadataStore();
        var options = new TomlSerializerOptions { MetadataStore = store, SourceName = diagnostics.SourceName };
        try
        {
            var table = TomlSerializer.Deserialize<TomlTable>(text, options) ?? new TomlTable();
            return new ConfigSection(diagnostics, store, table, "", SourceLocation.Start) { Items = ArrayItemPositions.Of(document) };
        }
        catch (TomlException e)
        {
            // Only reached if the model builder is stricter than the syntax validator.
            diagnostics.Add(new SourceLocation(e.Line ?? 1, e.Column ?? 1), "", $"invalid TOML: {e.Message}");
            return null;
        }
    }
}
