using System.Diagnostics.CodeAnalysis;

namespace Postern.Core.Maps;

/// <summary>
/// Where a map comes from, as the configuration names it: a file (an absolute path once bound), or
/// a table in the <c>[database]</c> PostgreSQL database written <c>pgsql:NAME</c>, as Postfix
/// names its lookup tables (<c>pgsql:/etc/postfix/pgsql-access.cf</c>).
/// </summary>
public sealed record MapReference
{
    public const string DatabasePrefix = "pgsql:";

    private MapReference(string? path, string? table)
    {
        FilePath = path;
        TableName = table;
    }

    /// <summary>The file's path; null for a database table.</summary>
    public string? FilePath { get; }

    /// <summary>The table's name in the database (letters, digits, underscore; starts with a letter); null for a file.</summary>
    public string? TableName { get; }

    [MemberNotNullWhen(true, nameof(TableName))]
    [MemberNotNullWhen(false, nameof(FilePath))]
    public bool IsDatabase => TableName is not null;

    public static MapReference File(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new MapReference(path, null);
    }

    public static MapReference Database(string table)
    {
        if (!IsTableName(table))
        {
            throw new ArgumentException($"not a table name: {table}", nameof(table));
        }
        return new MapReference(null, table);
    }

    /// <summary>Whether <paramref name="value"/> is written <c>pgsql:...</c> (valid or not).</summary>
    public static bool NamesDatabase(string value) =>
        value is not null && value.StartsWith(DatabasePrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>A table name PostgreSQL takes unquoted: a lower-case letter, then up to 62 lower-case letters, digits or underscores.</summary>
    public static bool IsTableName(string? name) =>
        name is { Length: > 0 and <= 63 }
        && name[0] is >= 'a' and <= 'z'
        && name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_');

    /// <summary>As the configuration writes it: the path, or <c>pgsql:NAME</c>.</summary>
    public override string ToString() => IsDatabase ? DatabasePrefix + TableName : FilePath;
}
