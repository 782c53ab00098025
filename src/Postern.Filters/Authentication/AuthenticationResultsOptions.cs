namespace Postern.Filters.Authentication;

/// <summary>
/// <c>[authentication_results]</c>: the mode, the authserv-id written in (and stripped from)
/// Authentication-Results (null: the server's host name), the Public Suffix List for DMARC's
/// organizational domains, the clients not checked, and how long each check (SPF, DKIM, DMARC) may wait for DNS.
/// </summary>
public sealed record AuthenticationResultsOptions
{
    public AuthenticationResultsMode Mode { get; init; } = AuthenticationResultsMode.Off;

    public string? AuthservId { get; init; }

    public string PublicSuffixList { get; init; } = Dmarc.PublicSuffixList.DebianPath;

    /// <summary>
    /// Clients whose mail is not checked (OpenDMARC's IgnoreHosts, OpenDKIM's InternalHosts); the
    /// configuration defaults it to <c>policy.relay_networks</c>: the site's own hosts.
    /// </summary>
    public IReadOnlyList<System.Net.IPNetwork> IgnoreNetworks { get; init; } = [];

    /// <summary>RFC 7208 section 4.6.4 asks for at least 20 seconds for an SPF check.</summary>
    public TimeSpan DnsTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
