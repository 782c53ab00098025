namespace Postern.Config;

/// <summary>Turns configured paths into absolute ones against a base directory.</summary>
internal static class ConfigPaths
{
    /// <summary>Absolute paths stay; relative ones are taken from <paramref name="baseDirectory"/>.</summary>
    public static string Resolve(string path, string baseDirectory) =>
        Path.GetFullPath(Path.Combine(baseDirectory, path));

    /// <summary>A path value: a non-empty string without NUL; null (and an error) otherwise.</summary>
    public static string? Read(ConfigSection section, string key, string baseDirectory)
    {
        var value = section.GetString(key);
        if (value is null)
        {
            return null;
        }
        if (value.Length == 0 || value.Contains('\0', StringComparison.Ordinal))
        {
            section.Error(key, $"must be a non-empty path, got {ConfigValueText.Describe(value)}");
            return null;
        }
        var path = Resolve(value, baseDirectory);
        section.Diagnostics.Files.Add(path, section.KeyPath(key), section.LocationOf(key));
        return path;
    }
}
