using System.Net;
using System.Text.RegularExpressions;
using Postern.Config.Milters;
using Postern.Core.Policy;
using Postern.Server.Options;

namespace Postern.Config;

/// <summary>
/// Binds the <c>[[listener]]</c> entries. TLS keys are read by <see cref="ListenerTlsBinder"/>; later
/// issues add keys in <see cref="BindOne"/>.
/// </summary>
internal static partial class ListenerBinder
{
    private static readonly Dictionary<string, ListenerRole> Roles = new(StringComparer.Ordinal)
    {
        ["mta"] = ListenerRole.Mta,
        ["msa"] = ListenerRole.Msa,
    };

    private static readonly Dictionary<string, ListenerAuthMode> AuthModes = new(StringComparer.Ordinal)
    {
        ["off"] = ListenerAuthMode.Off,
        ["offer"] = ListenerAuthMode.Offer,
        ["require"] = ListenerAuthMode.Require,
    };

    /// <param name="root">The document root.</param>
    /// <param name="clientCasConfigured">Whether <c>tls.ca_file</c> or <c>tls.ca_path</c> is set, which <c>client_cert = "require"</c> needs.</param>
    /// <param name="milters">The names of the defined milters, which a listener's <c>milters</c> may list.</param>
    public static IReadOnlyList<ListenerOptions> Bind(ConfigSection root, bool clientCasConfigured, IReadOnlySet<string> milters)
    {
        const string Key = "listener";
        if (!root.Contains(Key))
        {
            root.Diagnostics.Add(SourceLocation.Start, Key, "at least one [[listener]] is required (name, address, role)");
            return [];
        }
        var sections = root.GetTableArray(Key);
        if (sections is null)
        {
            return [];
        }
        if (sections.Count == 0)
        {
            root.Error(Key, "at least one [[listener]] is required (name, address, role)");
            return [];
        }

        var listeners = new List<ListenerOptions>();
        var names = new Dictionary<string, SourceLocation>(StringComparer.OrdinalIgnoreCase);
        var endPoints = new List<(IPEndPoint EndPoint, string Name, SourceLocation Location)>();
        foreach (var section in sections)
        {
            var listener = BindOne(section, clientCasConfigured, milters);
            section.ReportUnknownKeys();
            if (listener is null)
            {
                continue;
            }
            if (names.TryGetValue(listener.Name, out var first))
            {
                section.Error("name", $"duplicate listener name \"{listener.Name}\" (first used on line {first.Line}); names must be unique");
                continue;
            }
            names.Add(listener.Name, section.LocationOf("name"));
            var clash = endPoints.FirstOrDefault(e => Overlaps(e.EndPoint, listener.EndPoint));
            if (clash.EndPoint is not null)
            {
                section.Error("address", $"duplicate endpoint {listener.EndPoint}: it overlaps {clash.EndPoint} of listener \"{clash.Name}\" (line {clash.Location.Line})");
                continue;
            }
            endPoints.Add((listener.EndPoint, listener.Name, section.LocationOf("address")));
            listeners.Add(listener);
        }
        return listeners;
    }

    private static ListenerOptions? BindOne(ConfigSection section, bool clientCasConfigured, IReadOnlySet<string> milters)
    {
        var name = section.GetString("name");
        if (name is not null && !NamePattern().IsMatch(name))
        {
            section.Error("name", $"must be 1 to 32 characters from A-Z a-z 0-9 _ -, got {ConfigValueText.Quote(name)}");
            name = null;
        }
        else if (string.Equals(name, SessionFacts.LocalListenerName, StringComparison.OrdinalIgnoreCase))
        {
            // Stage handlers tell local submissions by this name (milters see it, DKIM signs their mail).
            section.Error("name", $"\"{SessionFacts.LocalListenerName}\" is reserved for mail submitted on this machine (the sendmail command, the maildrop); choose another name");
            name = null;
        }
        else if (name is null && !section.Contains("name"))
        {
            section.Error("name", "is required");
        }

        IPEndPoint? endPoint = null;
        var address = section.GetString("address");
        if (address is not null && !ListenAddressSyntax.TryParse(address, out endPoint))
        {
            section.Error("address", $"must be {ListenAddressSyntax.Description}, got {ConfigValueText.Quote(address)}");
        }
        else if (address is null && !section.Contains("address"))
        {
            section.Error("address", "is required");
        }

        var role = section.GetChoice("role", Roles);
        if (role is null && !section.Contains("role"))
        {
            section.Error("role", "is required (\"mta\" or \"msa\")");
        }

        var (tls, requireTls, clientCertificates) = ListenerTlsBinder.Bind(section, clientCasConfigured);
        var etrn = section.GetBoolean("etrn");
        var auth = section.GetChoice("auth", AuthModes);
        var listenerMilters = MilterBinder.ReadNameList(section, "milters", milters);
        var proxy = ReadProxy(section);

        if (name is null || endPoint is null || role is null)
        {
            return null;
        }
        var listener = new ListenerOptions(name, endPoint, role.Value)
        {
            Tls = tls,
            RequireTls = requireTls,
            ClientCertificates = clientCertificates,
            Auth = auth ?? ListenerAuthMode.Offer,
            Milters = listenerMilters,
            Proxy = proxy,
        };
        // Left out, etrn follows the role (on for mta, off for msa): see ListenerOptions.Etrn.
        return etrn is { } value ? listener with { Etrn = value } : listener;
    }

    /// <summary>
    /// <c>proxy_protocol</c>, <c>proxy_trusted</c> and <c>proxy_timeout</c>. A proxy listener without
    /// trusted networks would let any client claim any address, so the list is required; the other
    /// two keys mean nothing without <c>proxy_protocol = true</c> and are refused alone, since they
    /// suggest a protection that is not there.
    /// </summary>
    private static ProxyProtocolOptions? ReadProxy(ConfigSection section)
    {
        var enabled = section.GetBoolean("proxy_protocol") ?? false;
        var trusted = PolicyBinder.ReadNetworks(section, "proxy_trusted");
        var timeout = section.GetDuration("proxy_timeout", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        if (!enabled)
        {
            foreach (var key in new[] { "proxy_trusted", "proxy_timeout" })
            {
                if (section.Contains(key))
                {
                    section.Error(key, "applies only with proxy_protocol = true on this listener");
                }
            }
            return null;
        }
        if (!section.Contains("proxy_trusted"))
        {
            section.Error("proxy_protocol", "needs proxy_trusted: the networks your proxies connect from (e.g. [\"10.0.0.5/32\"]); without it any client could claim any address");
            return null;
        }
        if (trusted is null)
        {
            return null;
        }
        if (trusted.Count == 0)
        {
            section.Error("proxy_trusted", "must list at least one network (e.g. [\"10.0.0.5/32\"])");
            return null;
        }
        return new ProxyProtocolOptions(trusted) { Timeout = timeout ?? ProxyProtocolOptions.DefaultTimeout };
    }

    // Binding 0.0.0.0:25 and 127.0.0.1:25 at once fails on most systems, so a wildcard clashes with
    // every address of its family on the same port.
    // Port 0 lets the system pick a free port for each listener, so two of them never clash.
    private static bool Overlaps(IPEndPoint a, IPEndPoint b) =>
        a.Port == b.Port && a.Port != 0
        && a.AddressFamily == b.AddressFamily
        && (a.Address.Equals(b.Address) || IsWildcard(a.Address) || IsWildcard(b.Address));

    private static bool IsWildcard(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex NamePattern();
}
