namespace Postern.Config;

/// <summary>
/// Which key, at which place, named each file the configuration names. A file that turns out to be
/// unusable only when it is read (a TLS key that does not match, an unreadable certificate) is then
/// reported at the line that named it, as every other configuration error is.
/// </summary>
public sealed class ConfiguredFiles
{
    private readonly Dictionary<string, (string Key, SourceLocation Location)> _byPath = new(StringComparer.Ordinal);

    /// <summary>Remembers the first key naming <paramref name="path"/> (absolute).</summary>
    internal void Add(string path, string key, SourceLocation location) => _byPath.TryAdd(path, (key, location));

    /// <summary>
    /// The key and place that named <paramref name="path"/>, or named the directory it is in (a file
    /// found through <c>ca_path</c> or <c>crl_path</c>); false when the configuration never named it.
    /// </summary>
    public bool TryFind(string path, out string key, out SourceLocation location)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        if (_byPath.TryGetValue(full, out var origin)
            || (Path.GetDirectoryName(full) is { } directory && _byPath.TryGetValue(directory, out origin)))
        {
            (key, location) = origin;
            return true;
        }
        key = "";
        location = SourceLocation.None;
        return false;
    }
}
