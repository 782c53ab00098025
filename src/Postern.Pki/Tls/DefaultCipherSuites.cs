using System.Net.Security;

namespace Postern.Pki.Tls;

/// <summary>
/// Postern's default suites: forward-secret (ECDHE, or TLS 1.3) AEAD only. No NULL, EXPORT, RC4,
/// 3DES, CBC, anonymous or static-RSA key exchange: every one of those has a published attack.
/// </summary>
public static class DefaultCipherSuites
{
    public static IReadOnlyList<TlsCipherSuite> All { get; } =
    [
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    ];
}
