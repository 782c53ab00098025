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
        if (ParseSyntax(text, diagnostics) is not { } document)
        {
            return null;
        }
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
        var options = new TomlSerializerOptions { MetadataStore = store, SourceName = diagnostics.SourceName, TypeInfoResolver = TomlModelContext.Default };
        var model = (TomlTypeInfo<TomlTable>)TomlModelContext.Default.GetTypeInfo(typeof(TomlTable), options)!;
        try
        {
            var table = TomlSerializer.Deserialize(text, model) ?? new TomlTable();
            return new ConfigSection(diagnostics, store, table, "", SourceLocation.Start) { Items = ArrayItemPositions.Of(document) };
        }
        catch (TomlException e)
        {
            // Only reached if the model builder is stricter than the syntax validator.
            diagnostics.Add(new SourceLocation(e.Line ?? 1, e.Column ?? 1), "", $"invalid TOML: {e.Message}");
            return null;
        }
    }

    // Tomlyn's syntax parser throws (instead of reporting) past its nesting limit, and on an escape
    // cut off by the end of the text (formatting its own error message fails). Both found by fuzzing.
    private static Tomlyn.Syntax.DocumentSyntax? ParseSyntax(string text, ConfigDiagnostics diagnostics)
    {
        try
        {
            return SyntaxParser.Parse(text, diagnostics.SourceName, validate: true);
        }
        catch (TomlException e)
        {
            // Its first sentence only: the rest tells a programmer which option to raise.
            var place = e.Line is { } line ? new SourceLocation(line, e.Column ?? 1) : SourceLocation.None;
            diagnostics.Add(place, "", $"invalid TOML: {e.Message.Split(". ")[0].TrimEnd('.')}");
        }
        catch (ArgumentOutOfRangeException)
        {
            var lines = text.Split('\n');
            diagnostics.Add(new SourceLocation(lines.Length, lines[^1].Length + 1), "", "invalid TOML: the file ends inside an escape sequence");
        }
        return null;
    }
}
