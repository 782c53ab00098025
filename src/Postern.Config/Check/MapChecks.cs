using Postern.Core.Maps;
using Postern.Delivery.Virtual;

namespace Postern.Config.Check;

/// <summary>
/// The maps of <c>config check</c>: which come from the database (named in the summary; their rows
/// are read at decision time, so their contents are not linted here), and the virtual map files,
/// loaded as <c>serve</c> loads them.
/// </summary>
public static class MapChecks
{
    /// <summary>Every map key with its configured source, in a stable order; absent maps left out.</summary>
    public static IEnumerable<(string Key, MapReference Map)> Configured(PosternConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var all = new (string, MapReference?)[]
        {
            ("policy.access_map", configuration.RelayPolicy.AccessMap),
            ("policy.relay_domains", configuration.RelayPolicy.RelayDomainsTable),
            ("auth.sender_login_map", configuration.Server.Auth.SenderLoginMap),
            ("local.aliases", configuration.Local.Aliases),
            ("virtual.domains", configuration.Virtual.DomainsTable),
            ("virtual.mailboxes", configuration.Virtual.Mailboxes),
        };
        foreach (var (key, map) in all)
        {
            if (map is not null)
            {
                yield return (key, map);
            }
        }
    }

    /// <summary>The summary line naming the database maps, or null when there are none.</summary>
    public static string? Summary(PosternConfiguration configuration)
    {
        var tables = Configured(configuration).Where(m => m.Map.IsDatabase).Select(m => m.Key + " = " + m.Map).ToList();
        return tables.Count == 0 ? null : "  maps in the database: " + string.Join(", ", tables);
    }

    /// <summary>Loads the virtual map files; false after writing their errors (file:line: message).</summary>
    public static bool LoadVirtualFiles(PosternConfiguration configuration, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(errors);
        var ok = true;
        foreach (var (map, valueRequired) in new[] { (configuration.Virtual.DomainsTable, false), (configuration.Virtual.Mailboxes, true) })
        {
            if (map is { IsDatabase: false })
            {
                try
                {
                    VirtualMapFile.Load(map.FilePath, valueRequired);
                }
                catch (VirtualMapException e)
                {
                    foreach (var error in e.Errors)
                    {
                        errors.WriteLine(error);
                    }
                    ok = false;
                }
            }
        }
        return ok;
    }
}
