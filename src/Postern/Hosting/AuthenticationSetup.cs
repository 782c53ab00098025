using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Postern.Config;
using Postern.Core.Stages;
using Postern.Filters.Authentication;
using Postern.Filters.Authentication.Dkim;
using Postern.Filters.Authentication.Dmarc;
using Postern.Filters.Authentication.Dns;
using Postern.Filters.Authentication.Spf;

namespace Postern.Hosting;

/// <summary>
/// The SPF, DKIM and DMARC checks of <c>[authentication_results]</c>, on the same DNS servers
/// as MX lookups (<c>delivery.dns_servers</c>); null when the mode is off.
/// </summary>
internal static class AuthenticationSetup
{
    /// <exception cref="IOException">The public suffix list cannot be read (the message names the key and the file).</exception>
    public static IStageHandler? Create(PosternConfiguration configuration, TimeProvider clock, ILoggerFactory loggers, Meter? meter)
    {
        var options = configuration.AuthenticationResults;
        if (options.Mode == AuthenticationResultsMode.Off)
        {
            return null;
        }
        var dns = new DnsClientAuthenticationDns(new AuthenticationDnsOptions { Servers = configuration.Relay.DnsServers });
        PublicSuffixList suffixes;
        try
        {
            suffixes = PublicSuffixList.Load(options.PublicSuffixList);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"authentication_results.public_suffix_list: cannot read {options.PublicSuffixList}: {e.Message}", e);
        }
        return new AuthenticationResultsHandler(
            options.Mode,
            options.AuthservId ?? configuration.Server.HostName,
            options.IgnoreNetworks,
            new SpfChecker(dns, clock, options.DnsTimeout),
            new DkimChecker(dns, clock, options.DnsTimeout),
            new DmarcEvaluator(dns, suffixes, clock, options.DnsTimeout, Random.Shared),
            loggers.CreateLogger("postern.authentication"),
            meter is null ? null : new AuthenticationMetrics(meter));
    }
}
