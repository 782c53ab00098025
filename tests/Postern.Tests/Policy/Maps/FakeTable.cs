using Postern.Core.Maps;
using Postern.Policy.Access;

namespace Postern.Tests.Policy.Maps;

/// <summary>
/// An in-memory stand-in for a <c>pgsql:</c> table: answers from its rows, records every query, and
/// fails every query (as a stopped database does) once <see cref="Down"/> is set.
/// </summary>
internal sealed class FakeTable(string name, IReadOnlyDictionary<string, string> rows) : ILookupTable
{
    public string Name { get; } = name;

    public bool Down { get; set; }

    public List<IReadOnlyCollection<string>> Queries { get; } = [];

    public ValueTask<IReadOnlyDictionary<string, string>> FindAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        Queries.Add([.. keys]);
        if (Down)
        {
            throw new LookupTableUnavailableException(Name, "connection refused");
        }
        return new InMemoryLookupTable(Name, rows).FindAsync(keys, cancellationToken);
    }

    public static FakeTable Empty(string name) => new(name, new Dictionary<string, string>());

    /// <summary>The rows a writer would store for an access map file's lines: each key through <see cref="AccessTableKey"/>, the value as written.</summary>
    public static FakeTable FromAccessFile(string text, string name = "pgsql:access")
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var split = line.IndexOfAny([' ', '\t']);
            Assert.True(AccessTableKey.TryNormalize(line[..split], out var key, out var error), error);
            // The first line of a key wins in a file, as a primary key keeps one row.
            rows.TryAdd(key, line[split..].Trim());
        }
        return new FakeTable(name, rows);
    }
}
