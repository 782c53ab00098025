using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;

namespace Postern.Pki.Tls;

/// <summary>One server certificate ready for handshakes, and the names (DNS SANs, else CN) SNI can pick it by.</summary>
public sealed record ServerCertificate(
    CertificateFiles Files,
    X509Certificate2 Leaf,
    IReadOnlyList<X509Certificate2> Intermediates,
    SslStreamCertificateContext Context,
    IReadOnlyList<string> Names)
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    /// <summary>Whether the key is ECDSA (id-ecPublicKey); else RSA for every certificate Postern loads.</summary>
    public bool IsEcdsa { get; } = Leaf.GetKeyAlgorithm() == EcPublicKeyOid;

    /// <summary>Whether <paramref name="other"/> names the same hosts (in any order), so either can serve a handshake.</summary>
    public bool HasSameNames(ServerCertificate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Names.Count == other.Names.Count && Names.All(n => other.Names.Contains(n, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Whether this certificate covers <paramref name="serverName"/> exactly (not by wildcard).</summary>
    public bool CoversExactly(string serverName) =>
        Names.Any(n => string.Equals(n, serverName, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a <c>*.example.org</c> name covers <paramref name="serverName"/> (one label only, as RFC 6125 says).</summary>
    public bool CoversByWildcard(string serverName)
    {
        var dot = serverName.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return false;
        }
        var parent = serverName[dot..];
        return Names.Any(n => n.StartsWith("*.", StringComparison.Ordinal) && string.Equals(n[1..], parent, StringComparison.OrdinalIgnoreCase));
    }
}
