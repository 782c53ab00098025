namespace Postern.Config;

/// <summary>Collects every error of one load so the operator sees them all at once.</summary>
public sealed class ConfigDiagnostics(string sourceName)
{
    private readonly List<ConfigError> _errors = [];

    public string SourceName { get; } = sourceName;

    public bool HasErrors => _errors.Count > 0;

    /// <summary>The files the configuration names, with the key and place naming each.</summary>
    public ConfiguredFiles Files { get; } = new();

    /// <summary>The keys that named a <c>pgsql:</c> table, in binding order (they need a <c>[database]</c> section).</summary>
    public List<DatabaseMapUse> DatabaseMaps { get; } = [];

    public void Add(SourceLocation location, string key, string message) =>
        _errors.Add(new ConfigError(SourceName, location.Line, location.Column, key, message));

    /// <summary>The errors in file order (stable for errors on the same spot).</summary>
    public IReadOnlyList<ConfigError> ToList() =>
        [.. _errors.OrderBy(e => e.Line).ThenBy(e => e.Column)];
}
