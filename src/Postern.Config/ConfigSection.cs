using System.Globalization;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace Postern.Config;

/// <summary>
/// Typed, position-aware reads from one TOML table. Every key read is remembered as known, so
/// whatever the binders never asked for is reported as unknown by <see cref="ReportUnknownKeys"/>.
/// Getters return null when the key is absent or invalid; invalid values are reported.
/// </summary>
public sealed class ConfigSection
{
    private readonly TomlTable _table;
    private readonly ITomlMetadataStore _store;
    private readonly TomlPropertiesMetadata? _metadata;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public ConfigSection(ConfigDiagnostics diagnostics, ITomlMetadataStore store, TomlTable table, string path, SourceLocation location)
    {
        Diagnostics = diagnostics;
        _store = store;
        _table = table;
        Path = path;
        Location = location;
        _metadata = store.TryGetProperties(table, out var metadata) ? metadata : null;
    }

    public ConfigDiagnostics Diagnostics { get; }

    /// <summary>Where the items of array values stand, for errors about one item.</summary>
    public ArrayItemPositions Items { get; init; } = ArrayItemPositions.None;

    /// <summary>The dotted path of this table, empty for the document root.</summary>
    public string Path { get; }

    /// <summary>Where the table starts (its header), used for errors about missing keys.</summary>
    public SourceLocation Location { get; }

    public string KeyPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public SourceLocation LocationOf(string key)
    {
        if (_metadata is not null && _metadata.TryGetProperty(key, out var property))
        {
            // Tomlyn positions are 0-based; people count lines from 1.
            return new SourceLocation(property.Span.Start.Line + 1, property.Span.Start.Column + 1);
        }
        return Location;
    }

    public void Error(string key, string message) => Diagnostics.Add(LocationOf(key), KeyPath(key), message);

    /// <summary>An error about item <paramref name="index"/> (0-based) of the array at <paramref name="key"/>, at that item's line.</summary>
    public void ItemError(string key, int index, string message) => Diagnostics.Add(Items.Of(LocationOf(key), index), KeyPath(key), message);

    /// <summary>True when the key is present (of any type); marks it as known.</summary>
    public bool Contains(string key)
    {
        _known.Add(key);
        return _table.ContainsKey(key);
    }

    public bool TryGetValue(string key, out object value)
    {
        _known.Add(key);
        if (_table.TryGetValue(key, out var found) && found is not null)
        {
            value = found;
            return true;
        }
        value = null!;
        return false;
    }

    public string? GetString(string key)
    {
        if (!TryGetValue(key, out var value))
        {
            return null;
        }
        if (value is string text)
        {
            return text;
        }
        Error(key, $"must be a string, got {ConfigValueText.Describe(value)}");
        return null;
    }

    public bool? GetBoolean(string key)
    {
        if (!TryGetValue(key, out var value))
        {
            return null;
        }
        if (value is bool flag)
        {
            return flag;
        }
        Error(key, $"must be true or false, got {ConfigValueText.Describe(value)}");
        return null;
    }

    public long? GetInteger(string key, long min, long max)
    {
        if (!TryGetValue(key, out var value))
        {
            return null;
        }
        if (value is long number && number >= min && number <= max)
        {
            return number;
        }
        Error(key, string.Create(CultureInfo.InvariantCulture, $"must be an integer from {min} to {max}, got {ConfigValueText.Describe(value)}"));
        return null;
    }

    /// <summary>A size: an integer of bytes, or a string like "25M" (binary K/M/G).</summary>
    public long? GetSize(string key, long min, long max)
    {
        if (!TryGetValue(key, out var value))
        {
            return null;
        }
        long bytes = -1;
        var parsed = value switch
        {
            long number => (bytes = number) >= 0,
            string text => ByteSizeSyntax.TryParse(text, out bytes),
            _ => false,
        };
        if (parsed && bytes >= min && bytes <= max)
        {
            return bytes;
        }
        Error(key, $"must be a size in bytes or with a K, M or G suffix (e.g. \"25M\") from {ByteSizeSyntax.Format(min)} to {ByteSizeSyntax.Format(max)}, got {ConfigValueText.Describe(value)}");
        return null;
    }

    /// <summary>A duration: an integer of seconds, or a string like "30s", "5m", "1h", "2d".</summary>
    public TimeSpan? GetDuration(string key, TimeSpan min, TimeSpan max)
    {
        if (!TryGetValue(key, out var value))
        {
            return null;
        }
        var duration = TimeSpan.MinValue;
        var parsed = value switch
        {
            long seconds => seconds is >= 0 and <= 999_999_999 && (duration = TimeSpan.FromSeconds(seconds)) >= TimeSpan.Zero,
            string text => DurationSyntax.TryParse(text, out duration),
            _ => false,
        };
        if (parsed && duration >= min && duration <= max)
        {
            return duration;
        }
        Error(key, $"must be a duration (\"30s\", \"5m\", \"1h\", \"2d\" or an integer of seconds) from {DurationSyntax.Format(min)} to {DurationSyntax.Format(max)}, got {ConfigValueText.Describe(value)}");
        return null;
    }

    /// <summary>A choice among lowercase words, e.g. role = "mta" | "msa".</summary>
    public T? GetChoice<T>(string key, IReadOnlyDictionary<string, T> choices)
        where T : struct
    {
        if (!TryGetValue(key, out var value))
        {
            return null;
        }
        if (value is string text && choices.TryGetValue(text, out var choice))
        {
            return choice;
        }
        Error(key, $"must be one of {string.Join(", ", choices.Keys.Select(ConfigValueText.Quote))}, got {ConfigValueText.Describe(value)}");
        return null;
    }

    public IReadOnlyList<string>? GetStringArray(string key)
    {
        if (!TryGetValue(key, out var value))
        {
            return null;
        }
        if (value is TomlArray array && array.All(item => item is string))
        {
            return [.. array.Cast<string>()];
        }
        Error(key, $"must be an array of strings, got {ConfigValueText.Describe(value)}");
        return null;
    }

    /// <summary>A sub-table; null (and an error) when the key holds something else.</summary>
    public ConfigSection? GetTable(string key)
    {
        if (!TryGetValue(key, out var value))
        {
            return null;
        }
        if (value is TomlTable table)
        {
            return new ConfigSection(Diagnostics, _store, table, KeyPath(key), LocationOf(key)) { Items = Items };
        }
        Error(key, $"must be a table ([{KeyPath(key)}]), got {ConfigValueText.Describe(value)}");
        return null;
    }

    /// <summary>An array of tables (<c>[[key]]</c> or an array of inline tables), with 1-based paths <c>key[n]</c>.</summary>
    public IReadOnlyList<ConfigSection>? GetTableArray(string key)
    {
        if (!TryGetValue(key, out var value))
        {
            return null;
        }
        IEnumerable<object?>? items = value switch
        {
            TomlTableArray tables => tables,
            TomlArray array when array.All(item => item is TomlTable) => array,
            _ => null,
        };
        if (items is null)
        {
            Error(key, $"must be an array of tables ([[{KeyPath(key)}]]), got {ConfigValueText.Describe(value)}");
            return null;
        }
        var location = LocationOf(key);
        return [.. items.Cast<TomlTable>().Select((table, i) =>
            new ConfigSection(Diagnostics, _store, table, string.Create(CultureInfo.InvariantCulture, $"{KeyPath(key)}[{i + 1}]"), FirstKeyLocation(table, location)) { Items = Items })];
    }

    /// <summary>
    /// Reports every key no binder asked for, with the allowed ones and a guess at the intended one;
    /// <paramref name="synonyms"/> maps words other software uses to the allowed key they mean here.
    /// </summary>
    public void ReportUnknownKeys(IReadOnlyDictionary<string, string>? synonyms = null)
    {
        foreach (var key in _table.Keys)
        {
            if (_known.Contains(key))
            {
                continue;
            }
            var kind = Path.Length == 0 && _table[key] is TomlTable or TomlTableArray ? "table" : "key";
            var allowed = _known.Order(StringComparer.Ordinal).ToList();
            var guess = synonyms is not null && synonyms.TryGetValue(key.ToLowerInvariant(), out var synonym) ? synonym : KeySuggestion.Closest(key, allowed);
            var hint = guess is null ? "" : $" (did you mean \"{guess}\"?)";
            Error(key, $"unknown {kind}{hint}; allowed here: {string.Join(", ", allowed)}");
        }
    }

    // An entry of a table array has no span of its own; its first key is the best place to point at.
    private SourceLocation FirstKeyLocation(TomlTable table, SourceLocation fallback)
    {
        if (_store.TryGetProperties(table, out var metadata) && metadata is not null)
        {
            foreach (var key in table.Keys)
            {
                if (metadata.TryGetProperty(key, out var property))
                {
                    return new SourceLocation(property.Span.Start.Line + 1, property.Span.Start.Column + 1);
                }
            }
        }
        return fallback;
    }
}
