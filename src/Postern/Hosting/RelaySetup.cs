using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Postern.Config;
using Postern.Core.TlsReporting;
using Postern.Delivery.Dane;
using Postern.Delivery.MtaSts;
using Postern.Delivery.Relay;
using Postern.Delivery.Routing;
using Postern.Delivery.Security;
using Postern.Pki.Tls;

namespace Postern.Hosting;

/// <summary>
/// The outbound side of `serve`: routes, smart host and MX resolution over the DNSSEC-aware
/// client, the per-destination TLS plan (DANE over the same client, MTA-STS from the
/// given policy source), the relay client with Postern's client certificates (global and per
/// route) and its credentials (per sender, per route, per host); and the DNSSEC probe of the
/// resolver, in the background, warning when it does not validate.
/// </summary>
internal static partial class RelaySetup
{
    private static readonly TimeSpan ProbeDeadline = TimeSpan.FromSeconds(30);

    /// <exception cref="TlsConfigurationException">The client certificate or the CA bundle is unusable.</exception>
    /// <exception cref="AuthInfoFileException">The auth_file, sender_auth_file or a route's password file is unsafe or malformed.</exception>
    /// <param name="configuration">The daemon's configuration.</param>
    /// <param name="clock">Every deadline.</param>
    /// <param name="loggers">The mail log.</param>
    /// <param name="mtaSts">The domains' MTA-STS policies; null when MTA-STS lookups are not made.</param>
    /// <param name="recorder">Counts sessions for TLS-RPT; null for none.</param>
    /// <param name="meter">The metrics meter; null when metrics are off.</param>
    public static (SmtpRelayTransport Transport, ClientTlsContext Tls) Create(
        PosternConfiguration configuration,
        TimeProvider clock,
        ILoggerFactory loggers,
        IMtaStsPolicySource? mtaSts = null,
        ITlsSessionRecorder? recorder = null,
        Meter? meter = null)
    {
        var options = configuration.Relay;
        var logger = loggers.CreateLogger("postern.relay");
        var tls = new ClientTlsContext(configuration.Tls, options.VerifyCaFile, clock, options.RouteCertificates());
        foreach (var warning in tls.Warnings)
        {
            Warning(logger, warning);
        }
        tls.StartWatching(TlsSetup.ReloadInterval, clock, logger);
        var identities = new RelayIdentities(
            options.AuthFile is { } authFile ? AuthInfoFile.Load(authFile) : null,
            options.SenderAuthFile is { } senderFile ? SenderAuthFile.Load(senderFile) : null,
            RelayIdentities.LoadRouteCredentials(options.Routes));
        var dns = new DnsResolverOptions { Servers = options.DnsServers };
        var validating = new ValidatingDnsClient(dns);
        StartDnssecProbe(validating, options, clock, logger);
        var router = new RelayRouter(
            new RouteTable(options.Routes, options.SmartHost), new DnsMxResolver(validating), new SystemHostResolver(dns, clock), options.Tls);
        var planner = new DestinationSecurityPlanner(new DnsTlsaResolver(validating), mtaSts ?? new NoMtaStsPolicies());
        var clientOptions = new RelayClientOptions
        {
            HeloName = options.HeloName,
            ConnectTimeout = options.ConnectTimeout,
            CommandTimeout = options.CommandTimeout,
            MaxPerDestination = options.MaxPerDestination,
        };
        var transport = new SmtpRelayTransport(
            router, tls, clientOptions, identities, clock, loggers.CreateLogger<SmtpRelayTransport>(),
            planner, recorder, meter is null ? null : new TlsPolicyMetrics(meter));
        return (transport, tls);
    }

    /// <summary>
    /// Asks the resolver, once and in the background (the start does not wait for DNS), whether it
    /// validates; warns when not, and stops trusting its AD bits when it answers a broken name.
    /// Only when some destination may use DANE, as <c>config check</c> does.
    /// </summary>
    private static void StartDnssecProbe(ValidatingDnsClient client, RelayOptions options, TimeProvider clock, ILogger logger)
    {
        var dane = options.Tls is OutboundTlsPolicy.Dane or OutboundTlsPolicy.DaneOnly
            || options.Routes.Any(r => r.Tls is OutboundTlsPolicy.Dane or OutboundTlsPolicy.DaneOnly);
        if (!dane)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            using var deadline = new CancellationTokenSource(ProbeDeadline, clock);
            try
            {
                var result = await DnssecProbe.RunAsync(client, options.DnssecProbeSigned, options.DnssecProbeBroken, deadline.Token);
                if (result.Distrust)
                {
                    client.DistrustAuthenticatedData();
                }
                if (result.Problem is { } problem)
                {
                    DnssecWarning(logger, problem);
                }
            }
            catch (OperationCanceledException)
            {
                DnssecWarning(logger, $"the DNSSEC probe got no answer within {ProbeDeadline.TotalSeconds:0} s: whether delivery.dns_servers validates is unknown");
            }
        }, CancellationToken.None);
    }

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "DNSSEC: {Warning}")]
    private static partial void DnssecWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "TLS (relay client): {Warning}")]
    private static partial void Warning(ILogger logger, string warning);
}
