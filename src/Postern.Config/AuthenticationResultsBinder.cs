using System.Net;
using Postern.Filters.Authentication;

namespace Postern.Config;

/// <summary>
/// Binds <c>[authentication_results]</c>: <c>mode</c> (off, on, enforce), <c>authserv_id</c>
/// (the server's host name unless set), <c>public_suffix_list</c> (Debian's publicsuffix file
/// unless set; it must exist unless the mode is off), <c>ignore_networks</c> (<c>policy.relay_networks</c>
/// unless set) and <c>dns_timeout</c>.
/// </summary>
internal static class AuthenticationResultsBinder
{
    private static readonly Dictionary<string, AuthenticationResultsMode> Modes = new(StringComparer.Ordinal)
    {
        ["off"] = AuthenticationResultsMode.Off,
        ["on"] = AuthenticationResultsMode.On,
        ["enforce"] = AuthenticationResultsMode.Enforce,
    };

    public static AuthenticationResultsOptions Bind(
        ConfigSection? section, string hostName, IReadOnlyList<IPNetwork> relayNetworks, string dataDirectory, ConfigurationInputs inputs)
    {
        // As OpenDMARC's IgnoreHosts is usually set to Postfix's mynetworks: the site's own hosts.
        var defaults = new AuthenticationResultsOptions { AuthservId = hostName, IgnoreNetworks = relayNetworks };
        if (section is null)
        {
            return defaults;
        }
        const string AuthservKey = "authserv_id";
        const string ListKey = "public_suffix_list";
        var options = defaults with
        {
            Mode = section.GetChoice("mode", Modes) ?? defaults.Mode,
            AuthservId = section.GetString(AuthservKey) ?? defaults.AuthservId,
            PublicSuffixList = ConfigPaths.Read(section, ListKey, dataDirectory) ?? defaults.PublicSuffixList,
            IgnoreNetworks = PolicyBinder.ReadNetworks(section, "ignore_networks") ?? defaults.IgnoreNetworks,
            DnsTimeout = section.GetDuration("dns_timeout", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5)) ?? defaults.DnsTimeout,
        };
        if (!HostNameSyntax.IsValid(options.AuthservId!))
        {
            section.Error(AuthservKey, $"must be a host name (the authserv-id of RFC 8601), got {ConfigValueText.Quote(options.AuthservId!)}");
        }
        if (options.Mode != AuthenticationResultsMode.Off && !inputs.FileExists(options.PublicSuffixList))
        {
            section.Error(
                section.Contains(ListKey) ? ListKey : "mode",
                MissingPath.Describe(options.PublicSuffixList, "public suffix list") + " (DMARC needs it: install Debian's publicsuffix package or set public_suffix_list)");
        }
        section.ReportUnknownKeys();
        return options;
    }
}
