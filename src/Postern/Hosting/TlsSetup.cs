using Microsoft.Extensions.Logging;
using Postern.Config;
using Postern.Core.Tls;
using Postern.Pki.Tls;

namespace Postern.Hosting;

/// <summary>Loads the server's TLS material (generating a local CA and certificate when none is configured) and watches it.</summary>
internal static partial class TlsSetup
{
    /// <summary>How often certificate, key, CA and CRL files are checked for changes.</summary>
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(5);

    /// <summary>The context for the listeners, or null when no listener uses TLS.</summary>
    /// <exception cref="TlsConfigurationException">A certificate, key, CA or CRL file is unusable.</exception>
    public static ServerTlsContext? Create(PosternConfiguration configuration, TimeProvider clock, ILogger logger)
    {
        if (configuration.Server.Listeners.All(l => l.Tls == ListenerTlsMode.None))
        {
            return null;
        }
        var hostName = configuration.Server.HostName;
        var (material, warnings) = TlsMaterialLoader.Load(configuration.Tls, hostName, clock);
        foreach (var warning in warnings)
        {
            Warning(logger, warning);
        }
        var context = new ServerTlsContext(configuration.Tls, hostName, material, clock);
        context.StartWatching(ReloadInterval, clock, logger);
        foreach (var certificate in material.Certificates)
        {
            var names = string.Join(' ', certificate.Names);
            var notAfter = certificate.Leaf.NotAfter.ToUniversalTime();
            Loaded(logger, certificate.Files.CertificateFile, names, notAfter);
        }
        if (material.UsesGeneratedCertificate)
        {
            // .NET on Linux never sends a root, and the local CA is one: say so where an administrator
            // comparing with openssl s_client or testssl ("chain incomplete") will look.
            var ca = Path.Combine(configuration.Tls.GeneratedCertificateDirectory, SelfSignedCertificateGenerator.CaCertificateName);
            LocalCaNotSent(logger, ca);
        }
        return context;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "TLS: {Warning}")]
    private static partial void Warning(ILogger logger, string warning);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "TLS: the generated certificate's local CA {CaFile} is not sent in the handshake (a root CA never is); clients that verify the server need a copy of it")]
    private static partial void LocalCaNotSent(ILogger logger, string caFile);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "TLS: server certificate {File} for {Names}, valid until {NotAfter:yyyy-MM-dd}")]
    private static partial void Loaded(ILogger logger, string file, string names, DateTime notAfter);
}
