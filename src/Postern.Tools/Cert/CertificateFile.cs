using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Tools.Cert;

/// <summary>Reads the certificates of a PEM file (leaf first, then the chain) or a DER file.</summary>
public static class CertificateFile
{
    /// <exception cref="IOException">Unreadable.</exception>
    /// <exception cref="CryptographicException">No certificate in it.</exception>
    public static X509Certificate2Collection Load(string path)
    {
        var text = File.ReadAllText(path);
        if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            var all = new X509Certificate2Collection();
            all.ImportFromPem(text);
            return all.Count == 0 ? throw new CryptographicException("no certificate in the file") : all;
        }
        return [X509CertificateLoader.LoadCertificateFromFile(path)];
    }

    /// <summary>The first certificate only; the others are disposed.</summary>
    public static X509Certificate2 LoadFirst(string path)
    {
        var all = Load(path);
        for (var i = 1; i < all.Count; i++)
        {
            all[i].Dispose();
        }
        return all[0];
    }
}
