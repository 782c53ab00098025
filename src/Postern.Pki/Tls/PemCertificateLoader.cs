using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;

namespace Postern.Pki.Tls;

/// <summary>
/// Loads a certificate chain and its unencrypted private key (RSA or ECDSA, PKCS#8 or the
/// traditional RSA/EC forms) from PEM, the key either in its own file or in the certificate file
/// as sendmail setups often have it. The first CERTIFICATE block is the leaf, the rest the chain.
/// </summary>
public static class PemCertificateLoader
{
    private static readonly string[] KeyLabels = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"];

    public static PemCertificateChain Load(CertificateFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var certificateText = ReadText(files.CertificateFile, "certificate");
        var keyPath = files.KeyFile ?? files.CertificateFile;
        var keyText = files.KeyFile is null ? certificateText : ReadText(files.KeyFile, "private key");

        var certificates = PemBlocks.Certificates(certificateText, files.CertificateFile);
        if (certificates.Count == 0)
        {
            throw TlsConfigurationException.About(files.CertificateFile, "no CERTIFICATE block found");
        }

        var keyPem = FindKey(keyText, keyPath);
        X509Certificate2 leaf;
        try
        {
            leaf = X509Certificate2.CreateFromPem(certificates[0].Pem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            var what = files.KeyFile is null ? $"the private key in {keyPath}" : $"the private key {keyPath}";
            // The key is at fault (or the pairing): name the key's file, and so the key's setting.
            throw TlsConfigurationException.About(
                keyPath, $"{what} cannot be used with the first certificate of {files.CertificateFile} (does it match? is it RSA or ECDSA?): {e.Message}", e);
        }

        certificates[0].Certificate.Dispose();
        return new PemCertificateChain(leaf, certificates.Skip(1).Select(c => c.Certificate).ToList());
    }

    private static string FindKey(string text, string path)
    {
        // Encrypted keys: PKCS#8 "ENCRYPTED PRIVATE KEY", or traditional ones with a Proc-Type header
        // (which strict RFC 7468 parsing would silently skip, so look at the raw text).
        if (text.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal)
            || text.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            throw TlsConfigurationException.About(path, $"the private key is encrypted; Postern needs it unencrypted (openssl pkey -in {path} -out key.pem), readable only by Postern");
        }
        foreach (var (label, pem) in PemBlocks.Enumerate(text))
        {
            if (KeyLabels.Contains(label, StringComparer.Ordinal))
            {
                return pem;
            }
        }
        throw TlsConfigurationException.About(path, "no private key found (expected a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block)");
    }

    private static string ReadText(string path, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw TlsConfigurationException.About(path, $"cannot read the {what} file: {e.Message}", e);
        }
    }
}
