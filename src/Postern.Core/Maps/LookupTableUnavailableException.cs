namespace Postern.Core.Maps;

/// <summary>
/// A lookup table could not answer (the database is down, refused the query or did not answer in
/// time). Whoever asked must not take it as "not found": a stage answers 451 4.3.0, a delivery is
/// deferred, so a map that would have refused never lets mail through while it cannot be read.
/// </summary>
public sealed class LookupTableUnavailableException : Exception
{
    public LookupTableUnavailableException()
        : this("a lookup table", "unavailable")
    {
    }

    public LookupTableUnavailableException(string message)
        : base(message)
    {
        Table = "a lookup table";
    }

    public LookupTableUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Table = "a lookup table";
    }

    /// <param name="table">The table's configured name (<c>pgsql:access</c>).</param>
    /// <param name="reason">Why, in a few words for the mail log (never a password or a connection string).</param>
    /// <param name="innerException">The database's own error, for the debug log.</param>
    public LookupTableUnavailableException(string table, string reason, Exception? innerException = null)
        : base($"{table}: {reason}", innerException)
    {
        Table = table;
    }

    /// <summary>The table's configured name.</summary>
    public string Table { get; }
}
