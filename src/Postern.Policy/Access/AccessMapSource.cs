using Postern.Core.Maps;

namespace Postern.Policy.Access;

/// <summary>
/// Where the access map comes from: a file held in memory (reloaded on SIGHUP; every lookup is a
/// dictionary probe, as it always was), or a table read through <see cref="ILookupTable"/>. Before
/// a decision, <see cref="ViewAsync"/> gives a map that answers that decision's lookups: the whole
/// file, or a small map of the rows the decision could consult, fetched in one query.
/// </summary>
public abstract class AccessMapSource
{
    /// <summary>How the configuration names the map (a path, or <c>pgsql:access</c>).</summary>
    public abstract string Name { get; }

    /// <summary>True when every lookup needs a query (the map is a table).</summary>
    public abstract bool IsTable { get; }

    /// <summary>A map that answers the <paramref name="needs"/> lookups of <paramref name="query"/> exactly as the whole map does.</summary>
    /// <exception cref="LookupTableUnavailableException">The table cannot answer now (the caller answers 451 4.3.0).</exception>
    public abstract ValueTask<AccessMap> ViewAsync(AccessNeeds needs, AccessQuery query, CancellationToken cancellationToken);

    /// <summary>The file's map as it is now (<paramref name="current"/> is called once per decision, so a reload applies).</summary>
    public static AccessMapSource File(Func<AccessMap> current) => new FileSource(current);

    public static AccessMapSource Table(ILookupTable table) => new TableSource(table);

    private sealed class FileSource(Func<AccessMap> current) : AccessMapSource
    {
        public override string Name => current().FileName;

        public override bool IsTable => false;

        public override ValueTask<AccessMap> ViewAsync(AccessNeeds needs, AccessQuery query, CancellationToken cancellationToken) =>
            ValueTask.FromResult(current());
    }

    private sealed class TableSource(ILookupTable table) : AccessMapSource
    {
        public override string Name => table.Name;

        public override bool IsTable => true;

        public override async ValueTask<AccessMap> ViewAsync(AccessNeeds needs, AccessQuery query, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(query);
            var keys = query.TableKeys(needs);
            if (keys.Count == 0)
            {
                return AccessMap.Empty;
            }
            var rows = await table.FindAsync(keys, cancellationToken);
            return rows.Count == 0 ? AccessMap.Empty : AccessTableView.Build(rows, table.Name);
        }
    }
}
