using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Postern.Pki.Acme.Protocol;
using Postern.Pki.Certificates;

namespace Postern.Pki.Acme.Issuance;

/// <summary>What the log, state.json and the schedule need of a live certificate.</summary>
public sealed record AcmeCertificate(
    AcmeKeyTypes KeyType,
    string Serial,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    IReadOnlyList<string> Domains,
    string? CertId)
{
    public TimeSpan Lifetime => NotAfter - NotBefore;

    public static AcmeCertificate From(AcmeKeyTypes keyType, X509Certificate2 leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        return new(
            keyType,
            leaf.SerialNumber,
            IssuerName(leaf),
            new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            SubjectAltNames.Read(leaf).DnsNames,
            CertIdOf(leaf));
    }

    /// <summary>This certificate as state.json records it (its renewal fields unset).</summary>
    public AcmeCertificateState ToState(DateTimeOffset issued) => new()
    {
        KeyType = AcmeKeyTypeNames.Name(KeyType),
        Serial = Serial,
        Issuer = Issuer,
        NotBefore = NotBefore,
        NotAfter = NotAfter,
        Domains = Domains,
        CertId = CertId,
        Issued = issued,
    };

    /// <summary>Whether it names exactly <paramref name="domains"/> (case aside), so a changed acme.domains orders anew.</summary>
    public bool Covers(IReadOnlyList<string> domains) =>
        domains.All(d => Domains.Contains(d, StringComparer.OrdinalIgnoreCase));

    /// <summary>ARI's certID, or null for a certificate ARI cannot name (no authority key identifier).</summary>
    private static string? CertIdOf(X509Certificate2 leaf)
    {
        try
        {
            return AriCertificateId.From(leaf);
        }
        catch (AcmeException)
        {
            return null;
        }
    }

    private static string IssuerName(X509Certificate2 leaf)
    {
        var commonName = leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: true);
        return string.IsNullOrEmpty(commonName) ? leaf.Issuer : commonName;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{AcmeKeyTypeNames.Name(KeyType)} {Serial}");
}
