using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Postern.Pki.Certificates;

/// <summary>SHA-256 fingerprints as Postern stores and matches them: lowercase hex, no colons.</summary>
public static class CertificateFingerprint
{
    /// <summary>SHA-256 of the DER certificate, what <c>openssl x509 -fingerprint -sha256</c> shows.</summary>
    public static string Sha256(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexStringLower(SHA256.HashData(certificate.RawDataMemory.Span));
    }

    /// <summary>SHA-256 of the SubjectPublicKeyInfo: stays the same when a certificate is renewed with the same key.</summary>
    public static string SpkiSha256(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexStringLower(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>The display form <c>AB:CD:EF...</c> of a hex fingerprint (colons and case in the input are ignored).</summary>
    /// <exception cref="FormatException">The input is not hex.</exception>
    public static string Format(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = hex.Replace(":", "", StringComparison.Ordinal);
        var bytes = Convert.FromHexString(digits);
        var text = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (text.Length > 0)
            {
                text.Append(':');
            }

            text.Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
