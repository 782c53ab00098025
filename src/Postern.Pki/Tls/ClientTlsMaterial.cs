using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;

namespace Postern.Pki.Tls;

/// <summary>
/// What the relay client's handshakes use, loaded at once and never changed: a reload builds a new
/// instance, and connections already open keep the one they started with.
/// </summary>
/// <param name="ClientCertificate">The certificate presented when a server asks (with its intermediates); null = none configured.</param>
/// <param name="TrustAnchors">The CAs server certificates must chain to; null = the system trust store.</param>
/// <param name="Protocols">TLS 1.2 and 1.3, or TLS 1.3 alone.</param>
/// <param name="CipherSuites">The allowed suites.</param>
public sealed record ClientTlsMaterial(
    SslStreamCertificateContext? ClientCertificate,
    X509Certificate2Collection? TrustAnchors,
    SslProtocols Protocols,
    CipherSuitesPolicy CipherSuites)
{
    /// <summary>The routes' own client certificates (<c>[[route]] client_cert</c>), by their files.</summary>
    public IReadOnlyDictionary<CertificateFiles, SslStreamCertificateContext> RouteCertificates { get; init; } =
        new Dictionary<CertificateFiles, SslStreamCertificateContext>();
}
