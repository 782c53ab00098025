using Postern.Core.Maps;

namespace Postern.Config;

/// <summary>
/// A map setting's value: a file path, or <c>pgsql:NAME</c> for a table in the <c>[database]</c>
/// database. A database map without a <c>[database]</c> section is an error at the key that names it
/// (reported by <see cref="DatabaseBinder"/> once every section is bound).
/// </summary>
internal static class MapReferenceSyntax
{
    public const string Description = "a file path, or pgsql:TABLE for a table in the [database] database";

    /// <param name="section">The section holding the key.</param>
    /// <param name="key">The key (<c>access_map</c>).</param>
    /// <param name="dataDirectory">Relative paths are taken from here.</param>
    /// <param name="fileMustExist">Report a file that does not exist (as the daemon's files are checked).</param>
    /// <param name="inputs">The load's inputs (file existence).</param>
    /// <returns>Null when the key is absent or its value is wrong (reported).</returns>
    public static MapReference? Read(ConfigSection section, string key, string dataDirectory, bool fileMustExist, ConfigurationInputs inputs)
    {
        var value = section.GetString(key);
        if (value is null)
        {
            return null;
        }
        if (MapReference.NamesDatabase(value))
        {
            var table = value[MapReference.DatabasePrefix.Length..];
            if (!MapReference.IsTableName(table))
            {
                section.Error(key, $"must name a table as pgsql:TABLE (a lower-case letter, then lower-case letters, digits or _; at most 63), got {ConfigValueText.Quote(value)}");
                return null;
            }
            section.Diagnostics.DatabaseMaps.Add(new DatabaseMapUse(section.KeyPath(key), section.LocationOf(key), table));
            return MapReference.Database(table);
        }
        var path = fileMustExist ? DeliveryBinder.ExistingFile(section, key, dataDirectory, inputs) : ConfigPaths.Read(section, key, dataDirectory);
        return path is null ? null : MapReference.File(path);
    }
}

/// <summary>A key that named a <c>pgsql:</c> table, and where.</summary>
public sealed record DatabaseMapUse(string Key, SourceLocation Location, string Table);
