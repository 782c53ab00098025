using System.Net;
using Postern.Policy;
using Postern.Policy.Restrictions;

namespace Postern.Config;

/// <summary>Binds <c>[policy]</c>: relay networks (CIDR), relay domains, the access map and the restriction lists.</summary>
internal static class PolicyBinder
{
    public static RelayPolicyOptions Bind(ConfigSection? section, string dataDirectory, ConfigurationInputs inputs)
    {
        var defaults = new RelayPolicyOptions();
        if (section is null)
        {
            return defaults;
        }
        var options = defaults with
        {
            RelayNetworks = ReadNetworks(section, "relay_networks") ?? defaults.RelayNetworks,
            RelayDomains = ReadDomains(section) ?? defaults.RelayDomains,
            RelayDomainsTable = ReadDomainsTable(section, dataDirectory, inputs),
            AccessMap = MapReferenceSyntax.Read(section, "access_map", dataDirectory, fileMustExist: true, inputs),
            Restrictions = ReadRestrictions(section, defaults.Restrictions),
        };
        section.ReportUnknownKeys();
        return options;
    }

    private static RestrictionLists ReadRestrictions(ConfigSection section, RestrictionLists defaults) => defaults with
    {
        Connect = ReadList(section, RestrictionStage.Connect) ?? defaults.Connect,
        Helo = ReadList(section, RestrictionStage.Helo) ?? defaults.Helo,
        Sender = ReadList(section, RestrictionStage.Mail) ?? defaults.Sender,
        Recipient = ReadList(section, RestrictionStage.Rcpt) ?? defaults.Recipient,
        Data = ReadList(section, RestrictionStage.Data) ?? defaults.Data,
    };

    // policy.connect_restrictions ... data_restrictions: names from RestrictionCatalog, checked
    // there (unknown, wrong stage, twice, open relay), each problem reported at the key's line.
    private static IReadOnlyList<string>? ReadList(ConfigSection section, RestrictionStage stage)
    {
        var key = RestrictionCatalog.StageWord(stage) + "_restrictions";
        var names = section.GetStringArray(key);
        if (names is null)
        {
            return null;
        }
        var errors = RestrictionCatalog.Validate(stage, names);
        foreach (var error in errors)
        {
            section.Error(key, error);
        }
        return errors.Count == 0 ? names : null;
    }

    /// <summary>A list of networks in CIDR notation at <paramref name="key"/> (relay_networks, limits.bare_newline_exclusions);
    /// every bad item is reported at its own line; null when any is bad.</summary>
    internal static List<IPNetwork>? ReadNetworks(ConfigSection section, string key)
    {
        var values = section.GetStringArray(key);
        if (values is null)
        {
            return null;
        }
        var networks = new List<IPNetwork>();
        var valid = true;
        for (var i = 0; i < values.Count; i++)
        {
            var text = values[i];
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || !IPNetwork.TryParse(text, out var network) || !IPAddress.TryParse(text[..slash], out var address))
            {
                section.ItemError(key, i, $"must be networks in CIDR notation (\"192.0.2.0/24\", \"2001:db8::/32\", \"192.0.2.7/32\"), got {ConfigValueText.Quote(text)}");
                valid = false;
            }
            else if (!address.Equals(network.BaseAddress))
            {
                // 192.0.2.1/24 is most likely a typo for a host (/32) or the network (192.0.2.0/24): say which.
                section.ItemError(key, i, $"{ConfigValueText.Quote(text)} has host bits set: write the network as {ConfigValueText.Quote(network.ToString())}, or a single host with /{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)}");
                valid = false;
            }
            else if (networks.Contains(network))
            {
                section.ItemError(key, i, $"lists {ConfigValueText.Quote(text)} twice");
                valid = false;
            }
            else
            {
                networks.Add(network);
            }
        }
        return valid ? networks : null;
    }

    /// <summary><c>relay_domains = "pgsql:TABLE"</c> (the string form; a list is read by <see cref="ReadDomains"/>).</summary>
    private static Core.Maps.MapReference? ReadDomainsTable(ConfigSection section, string dataDirectory, ConfigurationInputs inputs)
    {
        const string Key = "relay_domains";
        if (!section.TryGetValue(Key, out var value) || value is not string text)
        {
            return null;
        }
        if (!Core.Maps.MapReference.NamesDatabase(text))
        {
            section.Error(Key, $"must be a list of domain names, or pgsql:TABLE, got {ConfigValueText.Quote(text)}");
            return null;
        }
        return MapReferenceSyntax.Read(section, Key, dataDirectory, fileMustExist: false, inputs);
    }

    /// <summary>Every bad item is reported at its own line; null when any is bad.</summary>
    private static List<string>? ReadDomains(ConfigSection section)
    {
        const string Key = "relay_domains";
        if (section.TryGetValue(Key, out var value) && value is string)
        {
            return null;
        }
        var values = section.GetStringArray(Key);
        if (values is null)
        {
            return null;
        }
        var domains = new List<string>();
        var valid = true;
        for (var i = 0; i < values.Count; i++)
        {
            var text = values[i];
            var name = text.StartsWith('.') ? text[1..] : text;
            if (!HostNameSyntax.IsValid(name))
            {
                section.ItemError(Key, i, $"must be domain names, or .domain for subdomains, got {ConfigValueText.Quote(text)}");
                valid = false;
            }
            else if (domains.Contains(text, StringComparer.OrdinalIgnoreCase))
            {
                section.ItemError(Key, i, $"lists {ConfigValueText.Quote(text)} twice");
                valid = false;
            }
            else
            {
                domains.Add(text.ToLowerInvariant());
            }
        }
        return valid ? domains : null;
    }
}
