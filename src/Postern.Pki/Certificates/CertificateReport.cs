using Postern.Core.Tls;

namespace Postern.Pki.Certificates;

/// <summary>Everything <c>postern cert show</c> prints about one certificate.</summary>
/// <param name="Facts">Names in both forms, fingerprints, SANs, validity, serial.</param>
/// <param name="KeyDescription">e.g. "ECDSA P-256 (256 bits)" or "RSA (3072 bits)".</param>
/// <param name="KeyUsages">keyUsage bits by name; empty when the extension is absent.</param>
/// <param name="ExtendedKeyUsages">EKU purposes by name (serverAuth, clientAuth...) or OID; empty when absent.</param>
/// <param name="IpAddresses">subjectAltName iPAddresses.</param>
/// <param name="IsCa">basicConstraints CA:true.</param>
/// <param name="IsSelfSigned">Subject equals issuer and the certificate's own key verifies its signature.</param>
public sealed record CertificateReport(
    CertificateFacts Facts,
    string KeyDescription,
    IReadOnlyList<string> KeyUsages,
    IReadOnlyList<string> ExtendedKeyUsages,
    IReadOnlyList<string> IpAddresses,
    bool IsCa,
    bool IsSelfSigned);
