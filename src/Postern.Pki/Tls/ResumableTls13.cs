using System.Net.Security;
using System.Security.Authentication;

namespace Postern.Pki.Tls;

/// <summary>
/// When a handshake may run on a TLS 1.3-only context without an explicit suite policy and still
/// allow exactly the configured suites: the client offers TLS 1.3, the material allows it, and its
/// TLS 1.3 suites are OpenSSL's default TLS 1.3 ciphersuites in OpenSSL's order (all three AEAD).
/// </summary>
internal static class ResumableTls13
{
    private static readonly TlsCipherSuite[] OpenSslDefaults =
    [
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
    ];

    public static bool Applies(TlsMaterial material, SslProtocols clientProtocols) =>
        clientProtocols.HasFlag(SslProtocols.Tls13) && material.HasResumableTls13;

    /// <summary>The material's part of <see cref="Applies"/>, decided once when it is loaded.</summary>
    public static bool AllowedBy(SslProtocols protocols, IReadOnlyList<TlsCipherSuite> cipherSuites) =>
        protocols.HasFlag(SslProtocols.Tls13) && cipherSuites.Where(IsTls13).SequenceEqual(OpenSslDefaults);

    // TLS 1.3 suites are 0x1301-0x1305; every TLS 1.2 suite lies elsewhere.
    private static bool IsTls13(TlsCipherSuite suite) => (ushort)suite is >= 0x1301 and <= 0x1305;
}
