using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Postern.Pki.Certificates;

namespace Postern.Pki.Tls;

/// <summary>
/// Everything one handshake and one client verification need, loaded at once and never changed:
/// a reload builds a new instance, and sessions already open keep the one they started with.
/// </summary>
public sealed class TlsMaterial
{
    internal TlsMaterial(
        IReadOnlyList<ServerCertificate> certificates,
        X509Certificate2Collection trustAnchors,
        IReadOnlyList<RevokedSerials> revocations,
        SslProtocols protocols,
        CipherSuitesPolicy cipherSuites,
        IReadOnlyList<TlsCipherSuite> cipherSuiteList)
    {
        if (certificates.Count == 0)
        {
            throw new ArgumentException("at least one server certificate is needed", nameof(certificates));
        }
        Certificates = certificates;
        TrustAnchors = trustAnchors;
        Revocations = revocations;
        Protocols = protocols;
        CipherSuites = cipherSuites;
        CipherSuiteList = cipherSuiteList;
        HasResumableTls13 = ResumableTls13.AllowedBy(protocols, cipherSuiteList);
    }

    /// <summary>The server certificates; the first is the default.</summary>
    public IReadOnlyList<ServerCertificate> Certificates { get; }

    /// <summary>The CAs client certificates must chain to (ca_file + ca_path); never the system store. Do not modify.</summary>
    public X509Certificate2Collection TrustAnchors { get; }

    /// <summary>What crl_file and the files in crl_path revoke; each CRL's signature was checked against a trusted CA.</summary>
    public IReadOnlyList<RevokedSerials> Revocations { get; }

    /// <summary>TLS 1.2 and 1.3, or TLS 1.3 alone.</summary>
    public SslProtocols Protocols { get; }

    public CipherSuitesPolicy CipherSuites { get; }

    /// <summary>The suites in <see cref="CipherSuites"/>, in order (CipherSuitesPolicy cannot list them on every platform).</summary>
    public IReadOnlyList<TlsCipherSuite> CipherSuiteList { get; }

    /// <summary>Whether the default certificate is the generated self-signed one (none configured, no ACME certificate yet).</summary>
    public bool UsesGeneratedCertificate { get; init; }

    /// <summary>Whether TLS 1.3 handshakes can use the resumable context (<see cref="ResumableTls13"/>).</summary>
    internal bool HasResumableTls13 { get; }

    /// <summary>
    /// The certificate for an SNI name (exact name, then wildcard, else the default: the first) and
    /// the client's key preference: when it accepts ECDSA (or not) and another certificate for the
    /// same names has the key it wants, that one. Null = no preference known.
    /// </summary>
    public ServerCertificate Select(string? serverName, bool? clientAcceptsEcdsa = null)
    {
        var chosen = ByName(serverName);
        if (clientAcceptsEcdsa is not { } ecdsa || chosen.IsEcdsa == ecdsa)
        {
            return chosen;
        }
        // An ECDSA and an RSA certificate for the same names ([acme] key_type = ["ecdsa", "rsa"], or two configured files).
        return Certificates.FirstOrDefault(c => c.IsEcdsa == ecdsa && c.HasSameNames(chosen)) ?? chosen;
    }

    private ServerCertificate ByName(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return Certificates[0];
        }
        var name = serverName.TrimEnd('.');
        return Certificates.FirstOrDefault(c => c.CoversExactly(name))
            ?? Certificates.FirstOrDefault(c => c.CoversByWildcard(name))
            ?? Certificates[0];
    }
}
