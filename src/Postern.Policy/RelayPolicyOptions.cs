using System.Net;
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

    /// <summary>A sendmail-format access map (FEATURE(access_db)); its certificate entries let verified clients relay.</summary>
    public string? AccessMapFile { get; init; }

    /// <summary>The ordered restriction lists per stage; the defaults are safe.</summary>
    public RestrictionLists Restrictions { get; init; } = new();
}
