namespace Postern.Core.Maps;

/// <summary>
/// A key-to-value table consulted one lookup at a time: a map file held in memory, or a table in
/// PostgreSQL (<c>pgsql:NAME</c>). Keys are compared exactly (ordinal): whoever writes a table and
/// whoever reads it use the same normalisation (lower-case domains and addresses, the access map's
/// tags as written).
/// </summary>
public interface ILookupTable
{
    /// <summary>How the configuration names the table: a path, or <c>pgsql:NAME</c>; for log lines and replies' reasons.</summary>
    string Name { get; }

    /// <summary>The values of those of <paramref name="keys"/> the table holds; a key it does not hold is absent.</summary>
    /// <exception cref="LookupTableUnavailableException">
    /// The source cannot answer now (the database is down or too slow): the caller answers
    /// <c>451 4.3.0</c> at a stage, or defers a delivery. Never taken as "not found".
    /// </exception>
    ValueTask<IReadOnlyDictionary<string, string>> FindAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);
}
