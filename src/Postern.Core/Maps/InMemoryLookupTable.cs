namespace Postern.Core.Maps;

/// <summary>
/// A lookup table held in memory: a map file read whole (the virtual mailboxes written as
/// <c>address value</c> lines), and the stand-in for a database table in tests. Keys are compared
/// ordinally, as a database table compares them.
/// </summary>
public sealed class InMemoryLookupTable : ILookupTable
{
    private readonly IReadOnlyDictionary<string, string> _rows;

    public InMemoryLookupTable(string name, IReadOnlyDictionary<string, string> rows)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(rows);
        Name = name;
        _rows = rows;
    }

    public string Name { get; }

    public int Count => _rows.Count;

    public ValueTask<IReadOnlyDictionary<string, string>> FindAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (_rows.TryGetValue(key, out var value))
            {
                found[key] = value;
            }
        }
        return ValueTask.FromResult<IReadOnlyDictionary<string, string>>(found);
    }
}
