using System.Security.Authentication;

namespace Postern.Core.Tls;

/// <summary>
/// What a client's ClientHello says that .NET's SslClientHelloInfo does not: the versions it offers
/// (supported_versions) and whether it can take an ECDSA certificate (signature_algorithms and, for
/// TLS 1.2, an ECDHE_ECDSA suite), so the server can pick options and a certificate per handshake.
/// </summary>
/// <param name="Protocols">TLS 1.2, or TLS 1.2 and 1.3 when the hello offers 1.3.</param>
/// <param name="AcceptsEcdsa">True or false from the hello; null when it could not be read (then the default certificate serves).</param>
public readonly record struct ClientHelloFacts(SslProtocols Protocols, bool? AcceptsEcdsa)
{
    /// <summary>A hello that could not be read: TLS 1.2 at most, no certificate preference.</summary>
    public static ClientHelloFacts Unknown { get; } = new(SslProtocols.Tls12, null);
}
