using Postern.Config;
using Postern.Core.Delivery;
using Postern.Core.Maps;
using Postern.Delivery.Local;
using Postern.Delivery.Routing;
using Postern.Delivery.Virtual;
using Postern.Policy;
using Postern.Policy.Access;
using Postern.Policy.Auth;

namespace Postern.Hosting;

/// <summary>
/// The maps of <c>serve</c> as the configuration names them: each <c>pgsql:</c> map opened through
/// the database's table factory (<paramref name="database"/>, one <see cref="ILookupTable"/> per map,
/// sharing the process's pool and cache), the files as they always were, and the virtual map
/// files held in memory (read again on SIGHUP).
/// </summary>
/// <param name="configuration">The configuration.</param>
/// <param name="database">Opens a <c>pgsql:</c> map; null when the process has no database (then such a map stops the start).</param>
internal sealed class MapTables(PosternConfiguration configuration, Func<MapReference, ILookupTable>? database)
{
    private readonly List<(Reloadable<InMemoryLookupTable> Table, string Path)> _files = [];

    /// <summary>The policy's maps: the access map and sender login map from their files or tables, relay domains and recipients' tables.</summary>
    public PolicyMaps Policy(Reloadable<AccessMap> accessMap, Reloadable<SenderLoginMap> senderLogins, Func<LocalRecipientDirectory> directory)
    {
        return new PolicyMaps
        {
            Access = Access(accessMap),
            SenderLogins = configuration.Server.Auth.SenderLoginMap switch
            {
                null => null,
                { IsDatabase: true } table => SenderLoginSource.Table(Open("auth.sender_login_map", table)),
                _ => SenderLoginSource.File(() => senderLogins.Current),
            },
            RelayDomains = configuration.RelayPolicy.RelayDomainsTable is { } relay ? Open("policy.relay_domains", relay) : null,
            Recipients = Recipients(directory),
        };
    }

    /// <summary>The access map: the file's (always present, empty without one) or the table.</summary>
    public AccessMapSource Access(Reloadable<AccessMap> accessMap) =>
        configuration.RelayPolicy.AccessMap is { IsDatabase: true } table
            ? AccessMapSource.Table(Open("policy.access_map", table))
            : AccessMapSource.File(() => accessMap.Current);

    /// <summary>The RCPT stage's view of aliases and virtual mailboxes when either is a table or virtual domains exist; null otherwise (the directory answers alone).</summary>
    public IRecipientResolver? Recipients(Func<LocalRecipientDirectory> directory)
    {
        var aliases = Aliases();
        var virtualMailboxes = VirtualMailboxes();
        return aliases is null && virtualMailboxes is null ? null : new RecipientTables(directory, aliases, virtualMailboxes);
    }

    /// <summary><c>local.aliases = "pgsql:TABLE"</c>; null for a file (the directory holds it) or none.</summary>
    public AliasTable? Aliases() =>
        configuration.Local.Aliases is { IsDatabase: true } table ? new AliasTable(Open("local.aliases", table)) : null;

    private VirtualMailboxes? _virtualMailboxes;

    /// <summary>The virtual mailbox domains and their map; null without <c>[virtual]</c> domains. One instance for the process.</summary>
    /// <exception cref="VirtualMapException">A virtual map file has errors.</exception>
    public VirtualMailboxes? VirtualMailboxes()
    {
        var options = configuration.Virtual;
        if (!options.IsEnabled || options.Mailboxes is not { } mailboxes)
        {
            return null;
        }
        return _virtualMailboxes ??= new VirtualMailboxes(
            options.Domains,
            options.DomainsTable is { } domains ? Table("virtual.domains", domains, valueRequired: false) : null,
            Table("virtual.mailboxes", mailboxes, valueRequired: true));
    }

    /// <summary>Reads the virtual map files again (SIGHUP); returns the errors, empty when all loaded (a file that fails keeps its previous rows).</summary>
    public string ReloadFiles()
    {
        var errors = new List<string>();
        foreach (var (table, _) in _files)
        {
            if (table.Reload() is { Length: > 0 } problem)
            {
                errors.Add(problem);
            }
        }
        return string.Join(Environment.NewLine, errors);
    }

    private ILookupTable Table(string key, MapReference map, bool valueRequired)
    {
        if (map.IsDatabase)
        {
            return Open(key, map);
        }
        var path = map.FilePath;
        var reloadable = new Reloadable<InMemoryLookupTable>(VirtualMapFile.Load(path, valueRequired), errors =>
        {
            try
            {
                return VirtualMapFile.Load(path, valueRequired);
            }
            catch (VirtualMapException e)
            {
                errors.Write(e.Message);
                return null;
            }
        });
        _files.Add((reloadable, path));
        return new ReloadedTable(reloadable);
    }

    private ILookupTable Open(string key, MapReference map) =>
        database?.Invoke(map) ?? throw new MapSetupException(key + " = \"" + map + "\" needs the [database] connection, and this process opened none");

    /// <summary>A file table that SIGHUP replaces; each lookup reads the current rows.</summary>
    private sealed class ReloadedTable(Reloadable<InMemoryLookupTable> table) : ILookupTable
    {
        public string Name => table.Current.Name;

        public ValueTask<IReadOnlyDictionary<string, string>> FindAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
            table.Current.FindAsync(keys, cancellationToken);
    }
}

/// <summary>A map or transport the configuration names cannot be set up: <c>serve</c> stops with this one line.</summary>
internal sealed class MapSetupException : Exception
{
    public MapSetupException()
    {
    }

    public MapSetupException(string message)
        : base(message)
    {
    }

    public MapSetupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
