using System.Security.Cryptography;
using System.Text;

namespace Postern.Pki.Acme.Protocol;

/// <summary>
/// The downloaded chain (RFC 8555 7.4.2, application/pem-certificate-chain): UTF-8 text of
/// CERTIFICATE blocks only, leaf first, at least one, each one a certificate the platform reads.
/// </summary>
internal static class CertificateChainText
{
    private const int MaxCertificates = 10;

    public static string Check(byte[] body, UTF8Encoding utf8)
    {
        string text;
        try
        {
            text = utf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw new AcmeException("certificate: the chain is not UTF-8 text");
        }
        var rest = text.AsSpan();
        var count = 0;
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (!rest[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                throw new AcmeException($"certificate: the chain holds a PEM {AcmeWireValues.Printable(rest[fields.Label].ToString(), 40)} block, not only certificates");
            }
            if (++count > MaxCertificates)
            {
                throw new AcmeException($"certificate: the chain holds more than {MaxCertificates} certificates");
            }
            try
            {
                using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Convert.FromBase64String(rest[fields.Base64Data].ToString()));
            }
            catch (CryptographicException e)
            {
                throw new AcmeException($"certificate: certificate {count} of the chain cannot be read: {e.Message}", inner: e);
            }
            rest = rest[fields.Location.End..];
        }
        if (count == 0)
        {
            throw new AcmeException("certificate: the answer holds no PEM certificate");
        }
        return text;
    }
}
