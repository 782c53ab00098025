using System.Net;
using Microsoft.Extensions.Logging;
using Postern.Filters.Authentication;
using Postern.Filters.Authentication.Dkim;
using Postern.Filters.Authentication.Dmarc;
using Postern.Filters.Authentication.Spf;

namespace Postern.Tests.Filters.Authentication;

/// <summary>The authentication-results handler as the daemon builds it, over in-memory DNS and a small public suffix list.</summary>
internal static class AuthenticationTestHandlers
{
    /// <summary>Enough of the Public Suffix List for the tests: com, org, net, test, uk and co.uk.</summary>
    public static PublicSuffixList Suffixes { get; } = PublicSuffixList.Parse(["// test rules", "com", "org", "net", "test", "uk", "co.uk", "*.ck", "!www.ck"]);

    public static AuthenticationResultsHandler Create(
        AuthenticationResultsMode mode, InMemoryDns dns, TimeProvider clock, ILogger logger, IReadOnlyList<IPNetwork>? ignoreNetworks = null)
    {
        var limit = TimeSpan.FromSeconds(20);
        return new AuthenticationResultsHandler(
            mode,
            "mx.test",
            ignoreNetworks ?? [],
            new SpfChecker(dns, clock, limit),
            new DkimChecker(dns, clock, limit),
            new DmarcEvaluator(dns, Suffixes, clock, limit, new Random(1)),
            logger);
    }
}
