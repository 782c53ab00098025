using Microsoft.Extensions.Logging;
using Postern.Config;
using Postern.Delivery.MtaSts;
using Postern.Delivery.Routing;
using Postern.Pki.Tls;

namespace Postern.Hosting;

/// <summary>
/// MTA-STS for `serve`: the policy source over delivery.dns_servers, the HTTPS fetcher with
/// delivery.https_ca_file's CAs (else the system store), and the cache in &lt;data_dir&gt;/mta-sts/,
/// created 0700 at start.
/// </summary>
internal static class MtaStsSetup
{
    /// <summary>The daemon's source (it stores what it fetches); a source without policies when [mta_sts] enabled is false.</summary>
    /// <exception cref="TlsConfigurationException">delivery.https_ca_file is unusable.</exception>
    /// <exception cref="IOException">The cache directory cannot be created.</exception>
    public static IMtaStsPolicySource Create(PosternConfiguration configuration, TimeProvider clock, ILoggerFactory loggers)
    {
        if (!configuration.MtaSts.Enabled)
        {
            return new DisabledMtaStsPolicySource();
        }
        var cache = new MtaStsPolicyCache(Path.Combine(configuration.DataDirectory, MtaStsPolicyCache.DirectoryName));
        cache.EnsureDirectory();
        var anchors = configuration.Relay.HttpsCaFile is { } file ? CaLoader.Load(file, null, []) : null;
        var dns = new DnsTxtResolver(new DnsResolverOptions { Servers = configuration.Relay.DnsServers });
        var fetcher = new HttpsPolicyFetcher(configuration.MtaSts, anchors, clock);
        return new MtaStsPolicySource(dns, fetcher, cache, clock, loggers.CreateLogger("postern.mta-sts"), storeFetched: true);
    }
}
