using System.Globalization;
using System.Net;
using Postern.Policy.Access;

namespace Postern.Config.Lint;

/// <summary>
/// Paths that let an unauthenticated, unverified client relay: relay networks and relay domains
/// that are too wide, and access-map RELAY entries for public ranges or whole top-level domains.
/// (Restriction lists that could relay openly are refused as errors when the file is loaded, and
/// an empty access-map key is an error of the map.)
/// </summary>
internal static class RelayLint
{
    private const string Area = "relay";

    // The access map's IPv6 key form (IPv6:2001:db8 is 2001:db8::/32), lowercased by the parser.
    private const string Ipv6Prefix = "ipv6:";

    public static IEnumerable<ConfigWarning> Check(PosternConfiguration configuration, AccessMap map)
    {
        var policy = configuration.RelayPolicy;
        foreach (var network in policy.RelayNetworks)
        {
            if (network.PrefixLength == 0)
            {
                yield return new(Area, $"policy.relay_networks lists \"{network}\": every client on the Internet may relay through Postern (an open relay); list only your own networks");
            }
            else if (NetworkScope.IsWidePublic(network))
            {
                yield return new(Area, $"policy.relay_networks lists \"{network}\", a wide public range: every client in it may relay without authenticating; list only your own networks, and let the others use AUTH or a client certificate");
            }
        }
        foreach (var domain in policy.RelayDomains)
        {
            var name = domain.TrimStart('.');
            if (!name.Contains('.', StringComparison.Ordinal))
            {
                yield return new(Area, $"policy.relay_domains lists \"{domain}\", a whole top-level domain: anyone may send mail through Postern to every domain under it");
                continue;
            }
            var local = configuration.Local.Domains.FirstOrDefault(l => l.EndsWith("." + name, StringComparison.OrdinalIgnoreCase));
            if (local is not null)
            {
                yield return new(Area, $"policy.relay_domains lists \"{domain}\", a parent of the local domain {local}: anyone may relay to every host under {name}, not only to yours; list the domains you relay for by name");
            }
        }
        foreach (var entry in map.Entries.Where(e => e.Action == AccessAction.Relay))
        {
            if (entry.Tag is AccessTag.Connect or AccessTag.None && PublicRange(entry.Key) is { } range)
            {
                yield return new(Area, $"{map.Where(entry)}: \"{entry.Describe()}\" lets every client in {range} relay without authenticating, and it is not a private range; list single hosts, or use AUTH or client certificates");
            }
            else if (entry.Tag is AccessTag.To or AccessTag.None && IsTopLevelDomain(entry.Key))
            {
                yield return new(Area, $"{map.Where(entry)}: \"{entry.Describe()}\" lets anyone relay to every domain under .{entry.Key}");
            }
        }
    }

    /// <summary>The range an address-prefix key covers when it is a public range (not one host); otherwise null.</summary>
    private static string? PublicRange(string key)
    {
        IPNetwork network;
        if (key.StartsWith(Ipv6Prefix, StringComparison.Ordinal))
        {
            var groups = key[Ipv6Prefix.Length..];
            if (groups.Contains("::", StringComparison.Ordinal) || groups.Split(':').Length >= 8)
            {
                return null; // one address
            }
            var parts = groups.Split(':');
            var text = string.Join(':', parts) + (parts.Length < 8 ? "::" : "");
            if (!IPAddress.TryParse(text, out var address))
            {
                return null;
            }
            network = new IPNetwork(address, parts.Length * 16);
        }
        else if (key.Length > 0 && key.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            var octets = key.Split('.');
            if (octets.Length >= 4)
            {
                return null; // one address
            }
            var padded = string.Join('.', octets.Concat(Enumerable.Repeat("0", 4 - octets.Length)));
            network = new IPNetwork(IPAddress.Parse(padded), octets.Length * 8);
        }
        else
        {
            return null;
        }
        return NetworkScope.IsPrivate(network) ? null : network.ToString();
    }

    private static bool IsTopLevelDomain(string key) =>
        key.Length > 0 && !key.Contains('.', StringComparison.Ordinal) && !key.Contains('@', StringComparison.Ordinal)
        && !key.All(char.IsAsciiDigit) && !key.StartsWith(Ipv6Prefix, StringComparison.Ordinal)
        && key != "<>" && key != "localhost" && !int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
