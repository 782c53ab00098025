using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Postern.Config;
using Postern.Delivery.MtaSts;
using Postern.Delivery.Routing;
using Postern.Pki.Tls;

namespace Postern.Hosting;

/// <summary>
/// MTA-STS for `serve` and `postern check`: the policy source over delivery.dns_servers, the HTTPS
/// fetcher with delivery.https_ca_file's CAs (else the system store), and the cache in
/// &lt;data_dir&gt;/mta-sts/ (created 0700 at start).
/// </summary>
internal static class MtaStsSetup
{
    public const string CacheDirectoryName = "mta-sts";

    /// <summary>The daemon's source: it creates the cache directory and stores what it fetches.</summary>
    /// <exception cref="TlsConfigurationException">delivery.https_ca_file is unusable.</exception>
    /// <exception cref="IOException">The cache directory cannot be created.</exception>
    public static IMtaStsPolicySource Create(PosternConfiguration configuration, TimeProvider clock, ILoggerFactory loggers)
    {
        if (!configuration.MtaSts.Enabled)
        {
            return new DisabledMtaStsPolicySource();
        }
        var cache = Cache(configuration);
        cache.EnsureDirectory();
        return CreateSource(configuration, cache, clock, loggers.CreateLogger("postern.mta-sts"), storeFetched: true);
    }

    /// <summary>The cache of <paramref name="configuration"/>'s data directory (read-only use by `postern check`).</summary>
    public static MtaStsPolicyCache Cache(PosternConfiguration configuration) =>
        new(Path.Combine(configuration.DataDirectory, CacheDirectoryName));

    /// <exception cref="TlsConfigurationException">delivery.https_ca_file is unusable.</exception>
    public static MtaStsPolicySource CreateSource(
        PosternConfiguration configuration, MtaStsPolicyCache cache, TimeProvider clock, ILogger logger, bool storeFetched)
    {
        var dns = new DnsTxtResolver(new DnsResolverOptions { Servers = configuration.Relay.DnsServers });
        var fetcher = new HttpsPolicyFetcher(configuration.MtaSts, TrustAnchors(configuration), clock);
        return new MtaStsPolicySource(dns, fetcher, cache, clock, logger, storeFetched);
    }

    /// <summary>The CAs of delivery.https_ca_file, or null for the system store.</summary>
    /// <exception cref="TlsConfigurationException">The file is unreadable or holds no certificate.</exception>
    public static X509Certificate2Collection? TrustAnchors(PosternConfiguration configuration) =>
        configuration.Relay.HttpsCaFile is { } file ? CaLoader.Load(file, null, []) : null;
}
