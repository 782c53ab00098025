using Npgsql;
using Postern.Core.Maps;

namespace Postern.Database;

/// <summary>
/// Writes one row of a <c>pgsql:NAME</c> map (<c>postern access add|remove</c>, <c>postern cert
/// access-entry --apply</c>). The table's trigger tells every node; the caller has already checked
/// the value with the map's own parser and normalised the key as the readers look it up.
/// </summary>
public sealed class MapTableWriter(NpgsqlDataSource source, string table)
{
    private readonly string _table = MapReference.IsTableName(table) ? table : throw new ArgumentException($"not a table name: {table}", nameof(table));

    public string Name => MapReference.DatabasePrefix + _table;

    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    /// <exception cref="DatabaseCommandException">The database cannot be reached, or the table does not exist.</exception>
    public string? Get(string key) => DatabaseCommandException.Wrap(Name, () =>
    {
        using var command = source.CreateCommand($"SELECT value FROM \"{_table}\" WHERE key = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return command.ExecuteScalar() as string;
    });

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>; the value it had before, or null when it is new.</summary>
    /// <exception cref="DatabaseCommandException">The database cannot be reached, or the table does not exist.</exception>
    public string? Put(string key, string value) => DatabaseCommandException.Wrap(Name, () =>
    {
        using var connection = source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        string? old;
        using (var select = new NpgsqlCommand($"SELECT value FROM \"{_table}\" WHERE key = $1 FOR UPDATE", connection))
        {
            select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            old = select.ExecuteScalar() as string;
        }
        if (old != value)
        {
            using var upsert = new NpgsqlCommand(
                $"INSERT INTO \"{_table}\" (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated = now()", connection);
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
            upsert.ExecuteNonQuery();
        }
        transaction.Commit();
        return old;
    });

    /// <summary>Removes <paramref name="key"/>; whether it was there.</summary>
    /// <exception cref="DatabaseCommandException">The database cannot be reached, or the table does not exist.</exception>
    public bool Remove(string key) => DatabaseCommandException.Wrap(Name, () =>
    {
        using var command = source.CreateCommand($"DELETE FROM \"{_table}\" WHERE key = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return command.ExecuteNonQuery() > 0;
    });
}
