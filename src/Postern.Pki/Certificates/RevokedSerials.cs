using System.Security.Cryptography.X509Certificates;

namespace Postern.Pki.Certificates;

/// <summary>What one verified CRL says: the serials (uppercase hex, as <see cref="X509Certificate2.SerialNumber"/>) its issuer revoked.</summary>
public sealed record RevokedSerials(X500DistinguishedName Issuer, IReadOnlySet<string> Serials)
{
    /// <summary>Whether this CRL, issued by <paramref name="issuer"/>, lists the certificate's serial.</summary>
    public bool Revokes(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        return DistinguishedNames.SameName(Issuer, issuer.SubjectName)
            && Serials.Contains(certificate.SerialNumber);
    }
}
