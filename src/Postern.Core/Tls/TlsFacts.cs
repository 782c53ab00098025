namespace Postern.Core.Tls;

/// <summary>What one TLS session negotiated and what the peer's certificate proved.</summary>
/// <param name="Version">The protocol as sendmail writes it: TLSv1.2, TLSv1.3.</param>
/// <param name="Cipher">The IANA cipher suite name, e.g. TLS_AES_256_GCM_SHA384.</param>
/// <param name="Bits">The symmetric key strength in bits (sendmail's {cipher_bits}).</param>
/// <param name="Peer">What the peer's certificate proved (sendmail's {verify}).</param>
/// <param name="ServerName">The SNI name the client asked for, if any.</param>
public sealed record TlsFacts(string Version, string Cipher, int Bits, CertificateVerification Peer, string? ServerName = null);
