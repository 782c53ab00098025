using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Pki.Tls;

namespace Postern.Config.Check;

/// <summary>
/// delivery.https_ca_file, the CAs of Postern's own HTTPS requests (TLS-RPT report POSTs, MTA-STS
/// policy fetches), read as `serve` reads it: a file without a PEM certificate is an error at its line.
/// </summary>
public static class HttpsCaCheck
{
    /// <summary>Null when the file is usable (or not configured); else the one-line error.</summary>
    public static TlsConfigurationException? Load(string? caFile)
    {
        if (caFile is null)
        {
            return null;
        }
        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(caFile);
            return certificates.Count == 0 ? TlsConfigurationException.About(caFile, "holds no PEM certificate") : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return TlsConfigurationException.About(caFile, e.Message, e);
        }
    }
}
