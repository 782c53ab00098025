using System.Net;
using Postern.Core.Maps;
using Postern.Policy.Restrictions;

namespace Postern.Policy;

/// <summary><c>[policy]</c>: who may relay and for which domains, the access map, and the restriction lists.</summary>
public sealed record RelayPolicyOptions
{
    /// <summary>Clients in these networks may relay to any domain. Empty by default: not even loopback.</summary>
    public IReadOnlyList<IPNetwork> RelayNetworks { get; init; } = [];

    /// <summary>
    /// Mail for these domains is accepted from anyone and relayed. <c>example.net</c> matches that
    /// domain only; <c>.example.net</c> matches its subdomains (as in <c>[[route]]</c>).
    /// </summary>
    public IReadOnlyList<string> RelayDomains { get; init; } = [];

    /// <summary><c>relay_domains = "pgsql:TABLE"</c>: the relay domains are that table's keys; null: <see cref="RelayDomains"/>.</summary>
    public MapReference? RelayDomainsTable { get; init; }

    /// <summary>A sendmail-format access map file (FEATURE(access_db)); its certificate entries let verified clients relay. Null for none, or when <see cref="AccessMap"/> is a table.</summary>
    public string? AccessMapFile
    {
        get => AccessMap is { IsDatabase: false } file ? file.FilePath : null;
        init => AccessMap = value is null ? null : MapReference.File(value);
    }

    /// <summary>The access map as configured: a file (<see cref="AccessMapFile"/>) or <c>pgsql:TABLE</c>; null for none.</summary>
    public MapReference? AccessMap { get; init; }

    /// <summary>The ordered restriction lists per stage; the defaults are safe.</summary>
    public RestrictionLists Restrictions { get; init; } = new();
}
