using Npgsql;
using Postern.Core.Auth;
using Postern.Core.Maps;
using Postern.Policy.Users;

namespace Postern.Database;

/// <summary>
/// SMTP AUTH users in a <c>pgsql:NAME</c> table (<c>auth.users_file = "pgsql:users"</c>): the key is
/// the lower-case user name, the value the users file's fields after the name, and the
/// <c>certificates</c> column (GIN-indexed) the bound fingerprints for EXTERNAL. Name lookups go
/// through the shared cache; a row that does not parse, like a database that cannot answer, is a
/// <see cref="LookupTableUnavailableException"/>, which the mechanisms answer with 454, never
/// "no such user".
/// </summary>
public sealed class PgsqlUserDirectory : IUserDirectory
{
    private readonly PgsqlLookupTable _table;
    private readonly NpgsqlDataSource _source;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    internal PgsqlUserDirectory(PgsqlLookupTable table, NpgsqlDataSource source, TimeSpan timeout, TimeProvider time)
    {
        _table = table;
        _source = source;
        _timeout = timeout;
        _time = time;
    }

    /// <summary>The key a user's row has: the name in lower case (names are case-insensitive).</summary>
    public static string KeyOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant();
    }

    public async ValueTask<UserRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var key = KeyOf(name);
        var rows = await _table.FindAsync([key], cancellationToken).ConfigureAwait(false);
        return rows.TryGetValue(key, out var value) ? Parse(key, value) : null;
    }

    public async ValueTask<UserRecord?> FindByCertificateAsync(string fingerprintSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fingerprintSha256);
        var fingerprint = fingerprintSha256.ToLowerInvariant();
        using var deadline = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var rows = new List<(string Key, string Value)>();
        try
        {
            await using var connection = await _source.OpenConnectionAsync(linked.Token).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(
                $"SELECT key, left(value, {PgsqlLookupTable.MaxValueLength}) FROM \"{_table.TableName}\" WHERE certificates @> ARRAY[$1]::text[] ORDER BY key LIMIT 16", connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = fingerprint });
            await using var reader = await command.ExecuteReaderAsync(linked.Token).ConfigureAwait(false);
            while (await reader.ReadAsync(linked.Token).ConfigureAwait(false))
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LookupTableUnavailableException(_table.Name, "no answer within " + Durations.Describe(_timeout));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && DatabaseFailure.IsDatabaseError(e))
        {
            throw new LookupTableUnavailableException(_table.Name, DatabaseFailure.Describe(e), e);
        }
        // The value is what counts: a certificates column out of step with it binds nobody.
        return rows.Select(row => Parse(row.Key, row.Value))
            .FirstOrDefault(user => !user.Disabled && user.CertificateFingerprints.Contains(fingerprint, StringComparer.Ordinal));
    }

    private UserRecord Parse(string key, string value) =>
        UserFile.ParseFields(key, value, out var problem)
        ?? throw new LookupTableUnavailableException(_table.Name, $"the row of user {key} does not parse: {problem}");
}
