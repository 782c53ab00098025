using System.Net;
using Postern.Delivery.Relay;
using Postern.Delivery.Routing;

namespace Postern.Config;

/// <summary>
/// Binds <c>[delivery]</c> (smart host, outbound TLS, DNS, relay client settings) and the
/// <c>[[route]]</c> entries (sendmail's mailertable) into <see cref="RelayOptions"/>.
/// </summary>
internal static class DeliveryBinder
{
    private const string MxVia = "mx";

    public static RelayOptions Bind(ConfigSection root, string hostName, string dataDirectory, ConfigurationInputs inputs)
    {
        var defaults = new RelayOptions { HeloName = hostName };
        var routes = BindRoutes(root, dataDirectory, inputs);
        var section = root.GetTable("delivery");
        if (section is null)
        {
            return defaults with { Routes = routes };
        }
        var options = defaults with
        {
            SmartHost = NextHopSyntax.Read(section, "smarthost"),
            Routes = routes,
            Tls = section.GetChoice("tls", OutboundTlsWords.Choices) ?? defaults.Tls,
            DnsServers = ReadDnsServers(section) ?? defaults.DnsServers,
            DnssecProbeSigned = ReadProbeName(section, "dnssec_probe_signed", defaults.DnssecProbeSigned),
            DnssecProbeBroken = ReadProbeName(section, "dnssec_probe_broken", defaults.DnssecProbeBroken),
            HeloName = ReadHeloName(section) ?? defaults.HeloName,
            ConnectTimeout = section.GetDuration("connect_timeout", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)) ?? defaults.ConnectTimeout,
            CommandTimeout = section.GetDuration("command_timeout", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)) ?? defaults.CommandTimeout,
            MaxPerDestination = (int?)section.GetInteger("max_per_destination", 1, 100) ?? defaults.MaxPerDestination,
            AuthFile = DaemonFile(section, "auth_file", dataDirectory, inputs),
            SenderAuthFile = DaemonFile(section, "sender_auth_file", dataDirectory, inputs),
            VerifyCaFile = DaemonFile(section, "verify_ca_file", dataDirectory, inputs),
            HttpsCaFile = DaemonFile(section, "https_ca_file", dataDirectory, inputs),
        };
        section.ReportUnknownKeys();
        return options;
    }

    private static List<RelayRoute> BindRoutes(ConfigSection root, string dataDirectory, ConfigurationInputs inputs)
    {
        var routes = new List<RelayRoute>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in root.GetTableArray("route") ?? [])
        {
            var domain = ReadRouteDomain(entry);
            var (via, viaValid) = ReadVia(entry);
            var tls = entry.GetChoice("tls", OutboundTlsWords.Choices);
            var identity = RouteIdentityBinder.Read(entry, dataDirectory, inputs);
            entry.ReportUnknownKeys();
            if (domain is null || !viaValid)
            {
                continue;
            }
            if (seen.TryGetValue(domain, out var firstLine))
            {
                entry.Error("domain", $"duplicate route for {ConfigValueText.Quote(domain)} (first on line {firstLine})");
                continue;
            }
            seen.Add(domain, entry.LocationOf("domain").Line);
            routes.Add(identity(new RelayRoute(domain, via, tls)));
        }
        return routes;
    }

    private static string? ReadRouteDomain(ConfigSection entry)
    {
        const string Key = "domain";
        var domain = entry.GetString(Key);
        if (domain is null)
        {
            if (!entry.Contains(Key))
            {
                entry.Error(Key, "is required (\"example.org\", or \".example.org\" for its subdomains)");
            }
            return null;
        }
        var name = domain.StartsWith('.') ? domain[1..] : domain;
        if (!HostNameSyntax.IsValid(name))
        {
            entry.Error(Key, $"must be a domain name, or .domain for its subdomains, got {ConfigValueText.Quote(domain)}");
            return null;
        }
        return domain.ToLowerInvariant();
    }

    /// <summary>The next hop; (null, true) for "mx"; (null, false) when missing or bad.</summary>
    private static (NextHop? Via, bool Valid) ReadVia(ConfigSection entry)
    {
        const string Key = "via";
        if (entry.TryGetValue(Key, out var value) && value is string text && text.Equals(MxVia, StringComparison.OrdinalIgnoreCase))
        {
            return (null, true);
        }
        if (!entry.Contains(Key))
        {
            entry.Error(Key, $"is required: a next hop ({NextHop.Syntax}) or \"mx\"");
            return (null, false);
        }
        var hop = NextHopSyntax.Read(entry, Key);
        return (hop, hop is not null);
    }

    private static List<IPEndPoint>? ReadDnsServers(ConfigSection section)
    {
        const string Key = "dns_servers";
        var servers = section.GetStringArray(Key);
        if (servers is null)
        {
            return null;
        }
        var result = new List<IPEndPoint>();
        foreach (var text in servers)
        {
            if (!DnsServerSyntax.TryParse(text, out var endPoint))
            {
                section.Error(Key, $"must be {DnsServerSyntax.Description}, got {ConfigValueText.Quote(text)}");
                return null;
            }
            if (result.Contains(endPoint))
            {
                section.Error(Key, $"lists {ConfigValueText.Quote(text)} twice");
                return null;
            }
            result.Add(endPoint);
        }
        return result;
    }

    /// <summary>A probe name: a domain name, "." for the root, or "" to leave that half of the probe out.</summary>
    private static string? ReadProbeName(ConfigSection section, string key, string? fallback)
    {
        if (section.GetString(key) is not { } name)
        {
            return fallback;
        }
        if (name.Length == 0)
        {
            return null;
        }
        if (name != "." && !HostNameSyntax.IsValid(name.TrimEnd('.')))
        {
            section.Error(key, $"must be a domain name, \".\" for the root, or \"\" for no probe, got {ConfigValueText.Quote(name)}");
            return fallback;
        }
        return name;
    }

    private static string? ReadHeloName(ConfigSection section)
    {
        const string Key = "helo_name";
        var name = section.GetString(Key);
        if (name is not null && !HostNameSyntax.IsValid(name))
        {
            section.Error(Key, $"must be a host name (letters, digits, inner hyphens, dot-separated labels), got {ConfigValueText.Quote(name)}");
            return null;
        }
        return name;
    }

    /// <summary>A file the daemon reads: checked to exist where daemon files are checked.</summary>
    internal static string? DaemonFile(ConfigSection section, string key, string dataDirectory, ConfigurationInputs inputs) =>
        inputs.CheckDaemonFiles ? ExistingFile(section, key, dataDirectory, inputs) : ConfigPaths.Read(section, key, dataDirectory);

    internal static string? ExistingFile(ConfigSection section, string key, string dataDirectory, ConfigurationInputs inputs)
    {
        var path = ConfigPaths.Read(section, key, dataDirectory);
        if (path is not null && !inputs.FileExists(path))
        {
            section.Error(key, MissingPath.Describe(path, "file"));
            return null;
        }
        return path;
    }
}
