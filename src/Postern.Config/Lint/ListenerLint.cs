using Postern.Core.Policy;
using Postern.Core.Tls;
using Postern.Policy.Access;
using Postern.Server.Options;

namespace Postern.Config.Lint;

/// <summary>Listener settings that work against their purpose: certificates that cannot verify, submission that mail clients cannot use, passwords in clear.</summary>
internal static class ListenerLint
{
    private const string Area = "listener";

    private static readonly AccessTag[] CertificateTags =
        [AccessTag.CertIssuer, AccessTag.CertSubject, AccessTag.CertFp, AccessTag.CertSpki, AccessTag.CertSan];

    public static IEnumerable<ConfigWarning> Check(PosternConfiguration configuration, AccessMap map)
    {
        var tls = configuration.Tls;
        var auth = configuration.Server.Auth;
        var noClientCas = tls.CaFile is null && tls.CaPath is null;
        // Asking without CAs still records a certificate's facts in the mail log (the embedded
        // default does so on purpose); it only misleads when something counts on verify=OK.
        var certificatesCount = map.Entries.Any(e => CertificateTags.Contains(e.Tag)) || auth.Mechanisms.Contains("EXTERNAL", StringComparer.Ordinal);
        foreach (var listener in configuration.Server.Listeners)
        {
            var name = $"listener \"{listener.Name}\"";
            if (listener.ClientCertificates == ClientCertificateMode.Ask && noClientCas && certificatesCount)
            {
                yield return new(Area, $"{name}: client_cert = \"ask\" but neither tls.ca_file nor tls.ca_path is set: no client certificate can ever verify, so the certificate entries of the access map (and AUTH EXTERNAL) never apply; set tls.ca_file to the CA that issues your clients' certificates");
            }
            if (listener.Role == ListenerRole.Msa && listener.ClientCertificates == ClientCertificateMode.Require)
            {
                yield return new(Area, $"{name} (role msa): client_cert = \"require\" refuses every mail client without a certificate, and some clients fail as soon as they are asked for one; use client_cert = \"none\" with AUTH on submission");
            }
            if (listener.Role == ListenerRole.Msa && listener.Auth == ListenerAuthMode.Off)
            {
                yield return new(Area, $"{name} (role msa): auth = \"off\": mail clients cannot authenticate on this submission port, so they can only send to local domains; use auth = \"require\" (or \"offer\")");
            }
            if (listener.Tls == ListenerTlsMode.None && listener.Auth != ListenerAuthMode.Off && !auth.PlaintextRequiresTls
                && auth.Mechanisms.Any(m => m is "PLAIN" or "LOGIN"))
            {
                yield return new(Area, $"{name}: tls = \"none\" with AUTH offered and auth.plaintext_requires_tls = false: PLAIN and LOGIN passwords cross the network in clear text; set tls = \"starttls\" or auth = \"off\"");
            }
            if (listener.Proxy is { } proxy)
            {
                foreach (var warning in ProxyWarnings(name, proxy, configuration.RelayPolicy.RelayNetworks))
                {
                    yield return new(Area, warning);
                }
            }
        }
    }

    /// <summary>
    /// A proxy's own connections (health checks, LOCAL and UNKNOWN headers) keep the proxy's address
    /// as the client, so a proxy inside relay_networks relays them; and whoever is in proxy_trusted
    /// may claim any client address.
    /// </summary>
    private static IEnumerable<string> ProxyWarnings(string name, ProxyProtocolOptions proxy, IReadOnlyList<System.Net.IPNetwork> relayNetworks)
    {
        foreach (var trusted in proxy.Trusted)
        {
            if (trusted.PrefixLength == 0 || NetworkScope.IsWidePublic(trusted))
            {
                yield return $"{name}: proxy_trusted lists \"{trusted}\", a wide range: any host in it can claim to be any client (and so pass the access map and relay_networks); list your proxies' addresses only";
            }
            var overlapping = relayNetworks.Where(r => r.Contains(trusted.BaseAddress) || trusted.Contains(r.BaseAddress)).ToList();
            foreach (var relay in overlapping.Take(1))
            {
                yield return $"{name}: proxy_trusted \"{trusted}\" overlaps policy.relay_networks \"{relay}\": the proxy's health checks and headers without a client address (LOCAL, UNKNOWN) keep the proxy's own address, which may then relay; keep the proxies out of relay_networks";
            }
        }
    }
}
