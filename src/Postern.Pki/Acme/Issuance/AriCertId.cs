using System.Security.Cryptography.X509Certificates;

namespace Postern.Pki.Acme.Issuance;

/// <summary>
/// ARI's certificate identifier (RFC 9773 4.1): base64url(authority key identifier's keyIdentifier)
/// "." base64url(the serial number's DER content octets). The next order's <c>replaces</c>.
/// </summary>
public static class AriCertId
{
    /// <summary>The certID, or null when the certificate has no authority key identifier (ARI cannot name it).</summary>
    public static string? Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var aki = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault();
        if (aki?.KeyIdentifier is not { } keyIdentifier)
        {
            return null;
        }
        return Base64Url(keyIdentifier.Span) + "." + Base64Url(certificate.SerialNumberBytes.Span);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
