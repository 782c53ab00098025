using System.Net;

namespace Postern.Policy;

/// <summary><c>[policy]</c> relay settings: who may relay, and for which domains.</summary>
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
}
