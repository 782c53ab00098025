using Microsoft.Extensions.Logging;
using Postern.Config;
using Postern.Delivery.Relay;
using Postern.Delivery.Routing;
using Postern.Pki.Tls;

namespace Postern.Hosting;

/// <summary>
/// The outbound side of `serve`: routes, smart host and MX resolution, the relay client with
/// Postern's client certificates (global and per route) and its credentials (per sender, per
/// route, per host).
/// </summary>
internal static partial class RelaySetup
{
    /// <exception cref="TlsConfigurationException">The client certificate or the CA bundle is unusable.</exception>
    /// <exception cref="AuthInfoFileException">The auth_file, sender_auth_file or a route's password file is unsafe or malformed.</exception>
    public static (SmtpRelayTransport Transport, ClientTlsContext Tls) Create(
        PosternConfiguration configuration, TimeProvider clock, ILoggerFactory loggers)
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
        var router = new RelayRouter(
            new RouteTable(options.Routes, options.SmartHost), new DnsMxResolver(dns), new SystemHostResolver(dns, clock), options.Tls);
        var clientOptions = new RelayClientOptions
        {
            HeloName = options.HeloName,
            ConnectTimeout = options.ConnectTimeout,
            CommandTimeout = options.CommandTimeout,
            MaxPerDestination = options.MaxPerDestination,
        };
        var transport = new SmtpRelayTransport(router, tls, clientOptions, identities, clock, loggers.CreateLogger<SmtpRelayTransport>());
        return (transport, tls);
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "TLS (relay client): {Warning}")]
    private static partial void Warning(ILogger logger, string warning);
}
