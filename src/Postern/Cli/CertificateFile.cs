using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Cli;

/// <summary>Reads the first certificate of a PEM file, or a DER file, for the certificate tools.</summary>
internal static class CertificateFile
{
    /// <exception cref="CryptographicException">No certificate in the file.</exception>
    public static X509Certificate2 Load(string path)
    {
        var text = File.ReadAllText(path);
        if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            var all = new X509Certificate2Collection();
            all.ImportFromPem(text);
            if (all.Count == 0)
            {
                throw new CryptographicException("no certificate in the file");
            }
            for (var i = 1; i < all.Count; i++)
            {
                all[i].Dispose();
            }
            return all[0];
        }
        return X509CertificateLoader.LoadCertificateFromFile(path);
    }
}
