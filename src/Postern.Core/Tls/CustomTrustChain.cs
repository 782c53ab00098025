using System.Security.Cryptography.X509Certificates;

namespace Postern.Core.Tls;

/// <summary>
/// Whether a server's certificate chains to a configured set of CAs (a private CA file, not the
/// system store), using the intermediates the server sent, without revocation fetching. The name
/// check is the TLS layer's; this answers only the chain.
/// </summary>
public static class CustomTrustChain
{
    /// <param name="certificate">The server's certificate, as the validation callback gets it.</param>
    /// <param name="presented">The chain .NET built from what the server sent (its elements serve as intermediates), or null.</param>
    /// <param name="anchors">The CAs trusted here, and only these.</param>
    /// <param name="now">The time the certificates must be valid at.</param>
    public static bool Builds(X509Certificate certificate, X509Chain? presented, X509Certificate2Collection anchors, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(anchors);
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(anchors);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.VerificationTime = now.UtcDateTime;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }
}
