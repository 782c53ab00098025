using Postern.Config;
using Postern.Core.Maps;
using Postern.Delivery.Local;
using Postern.Delivery.Routing;
using Postern.Delivery.Virtual;
using Postern.Policy;
using Postern.Policy.Access;

namespace Postern.Tools.Access;

/// <summary>
/// The maps <c>postern access check</c> plays the session over, as <c>serve</c> builds them: the
/// access map file loaded, or its table read at each stage through the database's table factory; relay
/// domains, aliases and virtual mailboxes likewise.
/// </summary>
internal static class AccessCheckMaps
{
    /// <returns>Null after writing the problem (a <c>pgsql:</c> map without a database, a virtual map file with errors).</returns>
    public static PolicyMaps? Build(PosternConfiguration configuration, AccessMap map, LocalRecipientDirectory directory, Func<MapReference, ILookupTable>? tables, TextWriter error)
    {
        try
        {
            var policy = configuration.RelayPolicy;
            var aliases = configuration.Local.Aliases is { IsDatabase: true } aliasTable ? new AliasTable(Open("local.aliases", aliasTable, tables)) : null;
            var virtualMailboxes = VirtualMailboxes(configuration.Virtual, tables);
            return new PolicyMaps
            {
                Access = policy.AccessMap is { IsDatabase: true } table ? AccessMapSource.Table(Open("policy.access_map", table, tables)) : AccessMapSource.File(() => map),
                RelayDomains = policy.RelayDomainsTable is { } relay ? Open("policy.relay_domains", relay, tables) : null,
                Recipients = aliases is null && virtualMailboxes is null ? null : new RecipientTables(() => directory, aliases, virtualMailboxes),
            };
        }
        catch (VirtualMapException e)
        {
            error.WriteLine(e.Message);
        }
        catch (InvalidOperationException e)
        {
            error.WriteLine("postern: access check: " + e.Message);
        }
        return null;
    }

    private static VirtualMailboxes? VirtualMailboxes(VirtualMailboxOptions options, Func<MapReference, ILookupTable>? tables)
    {
        if (!options.IsEnabled || options.Mailboxes is not { } mailboxes)
        {
            return null;
        }
        var domains = options.DomainsTable is { } domainTable ? Table("virtual.domains", domainTable, false, tables) : null;
        return new VirtualMailboxes(options.Domains, domains, Table("virtual.mailboxes", mailboxes, true, tables));
    }

    private static ILookupTable Table(string key, MapReference map, bool valueRequired, Func<MapReference, ILookupTable>? tables) =>
        map.IsDatabase ? Open(key, map, tables) : VirtualMapFile.Load(map.FilePath, valueRequired);

    private static ILookupTable Open(string key, MapReference map, Func<MapReference, ILookupTable>? tables) =>
        tables?.Invoke(map) ?? throw new InvalidOperationException(key + " = \"" + map + "\" needs the [database] connection, and none was opened");
}
