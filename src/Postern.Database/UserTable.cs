using Npgsql;
using Postern.Core.Auth;
using Postern.Core.Maps;
using Postern.Policy.Users;

namespace Postern.Database;

/// <summary>
/// The users table as <c>postern user</c> edits it: read every user, change the list, write back
/// only the rows that changed, in one transaction under an advisory lock on the table (so two
/// runs on two nodes serialise as two runs on one node do with the users file's lock). Each
/// written row's trigger tells every node.
/// </summary>
public sealed class UserTable(NpgsqlDataSource source, string table)
{
    private readonly string _table = MapReference.IsTableName(table) ? table : throw new ArgumentException($"not a table name: {table}", nameof(table));

    public string Name => MapReference.DatabasePrefix + _table;

    /// <summary>Every user, by name.</summary>
    /// <exception cref="DatabaseCommandException">The database cannot be reached, the table is missing, or a row does not parse.</exception>
    public IReadOnlyList<UserRecord> ReadAll() => DatabaseCommandException.Wrap(Name, () =>
    {
        using var connection = source.OpenConnection();
        return ReadAll(connection);
    });

    /// <summary>
    /// Applies <paramref name="change"/> to the users; when it returns null the changed rows are
    /// written, otherwise nothing is and its value is returned.
    /// </summary>
    /// <exception cref="DatabaseCommandException">The database cannot be reached, the table is missing, or a row does not parse.</exception>
    public int? Edit(Func<List<UserRecord>, int?> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return DatabaseCommandException.Wrap(Name, () =>
        {
            using var connection = source.OpenConnection();
            using var transaction = connection.BeginTransaction();
            using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection))
            {
                lockCommand.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "postern users " + _table });
                lockCommand.ExecuteNonQuery();
            }
            var before = ReadAll(connection);
            var users = before.ToList();
            if (change(users) is { } refused)
            {
                return refused;
            }
            Write(connection, before, users);
            transaction.Commit();
            return (int?)null;
        });
    }

    private List<UserRecord> ReadAll(NpgsqlConnection connection)
    {
        var users = new List<UserRecord>();
        using var command = new NpgsqlCommand($"SELECT key, value FROM \"{_table}\" ORDER BY key", connection);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var key = reader.GetString(0);
            users.Add(UserFile.ParseFields(key, reader.GetString(1), out var problem)
                ?? throw new DatabaseCommandException($"{Name}: the row of user {key} does not parse: {problem}; nothing changed"));
        }
        return users;
    }

    private void Write(NpgsqlConnection connection, IReadOnlyList<UserRecord> before, List<UserRecord> after)
    {
        var old = before.ToDictionary(u => PgsqlUserDirectory.KeyOf(u.Name), Value, StringComparer.Ordinal);
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in after)
        {
            var key = PgsqlUserDirectory.KeyOf(user.Name);
            keep.Add(key);
            var value = Value(user);
            if (old.TryGetValue(key, out var previous) && previous == value)
            {
                continue;
            }
            using var upsert = new NpgsqlCommand(
                $"INSERT INTO \"{_table}\" (key, value, certificates) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, certificates = EXCLUDED.certificates, updated = now()", connection);
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. user.CertificateFingerprints] });
            upsert.ExecuteNonQuery();
        }
        foreach (var key in old.Keys.Where(k => !keep.Contains(k)))
        {
            using var delete = new NpgsqlCommand($"DELETE FROM \"{_table}\" WHERE key = $1", connection);
            delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            delete.ExecuteNonQuery();
        }
    }

    private static string Value(UserRecord user) => UserFile.FormatFields(user).TrimStart(' ');
}
