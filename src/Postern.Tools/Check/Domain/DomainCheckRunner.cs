using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Config;
using Postern.Delivery.Dane;
using Postern.Delivery.MtaSts;
using Postern.Delivery.Routing;
using Postern.Delivery.TlsReporting;
using Postern.Pki.Tls;

namespace Postern.Tools.Check.Domain;

/// <summary>
/// <c>postern check --domain</c>'s run: validates the arguments, builds the lookups from the
/// configuration (delivery.dns_servers, delivery.https_ca_file, [mta_sts], the policy cache in the
/// data directory, read only), runs <see cref="DomainCheck"/>, writes the report as text or JSON,
/// and returns the exit code.
/// </summary>
public static class DomainCheckRunner
{
    public static async Task<int> RunAsync(
        DomainCheckArguments arguments, PosternConfiguration configuration, TimeProvider time, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(configuration);
        var domain = MtaStsDomain.Normalize(arguments.Domain);
        if (domain is null)
        {
            error.WriteLine($"postern: check: --domain {arguments.Domain}: expected a domain name such as example.org");
            return ExitCodes.Usage;
        }
        if (!DurationSyntax.TryParse(arguments.Timeout, out var timeout) || timeout <= TimeSpan.Zero || timeout > TimeSpan.FromMinutes(10))
        {
            error.WriteLine($"postern: check: --timeout {arguments.Timeout}: expected a duration such as 10s or 1m (at most 10m)");
            return ExitCodes.Usage;
        }
        var request = new CheckRequest(new CheckTarget(domain, arguments.Port)) { Timeout = timeout, HeloName = arguments.Helo ?? configuration.Relay.HeloName };
        try
        {
            if (arguments.CaFile is { } caFile)
            {
                request = request with { TrustAnchors = CaLoader.Load(caFile, null, []), TrustAnchorsLabel = caFile };
            }
            var services = CreateServices(configuration, time) with { Port = arguments.Port };
            var result = await new DomainCheck(services, new MxTlsProbe(request, time), time).RunAsync(domain, cancellationToken);
            var findings = DomainCheckFindings.Evaluate(result);
            var exitCode = DomainCheckFindings.ExitCode(result, findings);
            if (arguments.Json)
            {
                output.WriteLine(JsonSerializer.Serialize(new DomainCheckDocument(result, findings, exitCode), CheckJsonContext.Default.DomainCheckDocument));
            }
            else
            {
                DomainCheckTextReport.Write(output, result, findings);
            }
            return exitCode;
        }
        catch (TlsConfigurationException e)
        {
            var origin = e.File is { } file && file == configuration.Relay.HttpsCaFile ? TlsErrorReport.Describe(configuration, e) : e.Message;
            error.WriteLine("postern: check: " + origin);
            return ExitCodes.NoInput;
        }
        finally
        {
            foreach (var anchor in request.TrustAnchors ?? [])
            {
                anchor.Dispose();
            }
        }
    }

    /// <summary>The lookups delivery uses, on the configured resolvers; the policy cache read only.</summary>
    /// <exception cref="TlsConfigurationException">delivery.https_ca_file is unusable.</exception>
    private static DomainCheckServices CreateServices(PosternConfiguration configuration, TimeProvider time)
    {
        var dnsOptions = new DnsResolverOptions { Servers = configuration.Relay.DnsServers };
        var dns = new ValidatingDnsClient(dnsOptions);
        var txt = new DnsTxtResolver(dns);
        var anchors = configuration.Relay.HttpsCaFile is { } file ? CaLoader.Load(file, null, []) : null;
        var fetcher = new HttpsPolicyFetcher(configuration.MtaSts, anchors, time);
        var cache = new MtaStsPolicyCache(Path.Combine(configuration.DataDirectory, MtaStsPolicyCache.DirectoryName));
        var source = new MtaStsPolicySource(txt, fetcher, cache, time, NullLogger.Instance, storeFetched: false);
        return new DomainCheckServices(new DnsMxResolver(dns), new DnsTlsaResolver(dns), txt, fetcher, cache, source, new DnsTlsRptRecordResolver(txt))
        {
            MtaStsEnabled = configuration.MtaSts.Enabled,
            Level = configuration.Relay.Tls,
        };
    }
}
