using Postern.Core.Tls;
using Postern.Pki.Authority;
using Postern.Pki.Tls;

namespace Postern.Config.Lint;

/// <summary>Configured certificates (server and relay client) that expire within <see cref="WarnDays"/> days.</summary>
internal static class CertificateLint
{
    public const int WarnDays = 30;

    private const string Area = "tls";

    /// <summary>Loads are repeated here on purpose: the TLS checks before this one already reported unusable files.</summary>
    public static IEnumerable<ConfigWarning> Check(TlsSettings settings, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var files = settings.ServerCertificates.Select(f => (Files: f, Kind: "server certificate")).ToList();
        if (settings.ClientCertificate is { } client)
        {
            files.Add((client, "client certificate (tls.client_cert)"));
        }
        foreach (var (certificateFiles, kind) in files)
        {
            DateTimeOffset notAfter;
            try
            {
                var chain = PemCertificateLoader.Load(certificateFiles);
                notAfter = new DateTimeOffset(chain.Leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
                chain.Leaf.Dispose();
            }
            catch (TlsConfigurationException)
            {
                continue;
            }
            if (ExpiryCheck.State(notAfter, now, WarnDays) == ExpiryState.Expiring)
            {
                yield return new(Area, $"{certificateFiles.CertificateFile}: the {kind} expires on {notAfter:yyyy-MM-dd HH:mm}Z, in {ExpiryCheck.DaysLeft(notAfter, now)} days; renew it (postern cert renew) and reload");
            }
        }
    }
}
