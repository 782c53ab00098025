using Npgsql;
using Postern.Core.Maps;

namespace Postern.Database;

/// <summary>
/// A <c>pgsql:NAME</c> map: one query per lookup for the keys the cache does not answer
/// (<c>SELECT key, value FROM NAME WHERE key = ANY($1)</c>), bounded by <c>timeout</c> on the
/// injected clock, connecting included. Any failure of the database (down, refusing, too slow, the
/// pool exhausted for the whole timeout, the table missing) is a
/// <see cref="LookupTableUnavailableException"/>, never "not found".
/// </summary>
public sealed class PgsqlLookupTable : ILookupTable
{
    /// <summary>The longest value read; a longer one is an error, not a truncated answer.</summary>
    public const int MaxValueLength = 65_536;

    private readonly NpgsqlDataSource _source;
    private readonly LookupCache _cache;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly string _query;

    internal PgsqlLookupTable(NpgsqlDataSource source, string table, LookupCache cache, TimeSpan timeout, TimeProvider time)
    {
        if (!MapReference.IsTableName(table))
        {
            throw new ArgumentException($"not a table name: {table}", nameof(table));
        }
        _source = source;
        TableName = table;
        _cache = cache;
        _timeout = timeout;
        _time = time;
        // The name is checked above (lower-case letters, digits, _), so it is safe to put in the text.
        _query = $"SELECT key, left(value, {MaxValueLength + 1}) FROM \"{table}\" WHERE key = ANY($1)";
    }

    public string Name => MapReference.DatabasePrefix + TableName;

    public string TableName { get; }

    public async ValueTask<IReadOnlyDictionary<string, string>> FindAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        List<string>? missing = null;
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            if (_cache.TryGet(TableName, key, out var value))
            {
                if (value is not null)
                {
                    found[key] = value;
                }
            }
            else
            {
                (missing ??= []).Add(key);
            }
        }
        if (missing is null)
        {
            return found;
        }
        var generation = _cache.Generation;
        var rows = await QueryAsync(missing, cancellationToken).ConfigureAwait(false);
        foreach (var key in missing)
        {
            var value = rows.GetValueOrDefault(key);
            if (value is not null)
            {
                found[key] = value;
            }
            _cache.Store(generation, TableName, key, value);
        }
        return found;
    }

    private async Task<Dictionary<string, string>> QueryAsync(List<string> keys, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            await using var connection = await _source.OpenConnectionAsync(linked.Token).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(_query, connection);
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keys] });
            await using var reader = await command.ExecuteReaderAsync(linked.Token).ConfigureAwait(false);
            while (await reader.ReadAsync(linked.Token).ConfigureAwait(false))
            {
                var key = reader.GetString(0);
                var value = reader.GetString(1);
                if (value.Length > MaxValueLength)
                {
                    throw new LookupTableUnavailableException(Name, $"the value of one key is longer than {MaxValueLength} characters");
                }
                rows[key] = value;
            }
            return rows;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LookupTableUnavailableException(Name, "no answer within " + Durations.Describe(_timeout));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && DatabaseFailure.IsDatabaseError(e))
        {
            // Idle connections to a server that went away are dead too: the next lookup opens a fresh one.
            _source.Clear();
            throw new LookupTableUnavailableException(Name, deadline.IsCancellationRequested ? "no answer within " + Durations.Describe(_timeout) : DatabaseFailure.Describe(e), e);
        }
    }
}
