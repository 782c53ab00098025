using System.Security.Cryptography.X509Certificates;

namespace Postern.Pki.Tls;

/// <summary>A leaf certificate with its private key, and the intermediates that follow it in the PEM file.</summary>
public sealed record PemCertificateChain(X509Certificate2 Leaf, IReadOnlyList<X509Certificate2> Intermediates);
