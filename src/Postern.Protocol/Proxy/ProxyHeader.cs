using System.Net;

namespace Postern.Protocol.Proxy;

/// <summary>
/// A PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2) as read before the
/// SMTP dialogue: who the proxy says the client is.
/// </summary>
/// <param name="Version">1 (the text form) or 2 (the binary form).</param>
/// <param name="Command">LOCAL (the proxy's own connection) or PROXY (relayed).</param>
/// <param name="Family">The relayed connection's address family.</param>
/// <param name="Source">The client's address; null unless the header carries a TCP address.</param>
/// <param name="Destination">The address the client connected to; null exactly when <paramref name="Source"/> is.</param>
/// <param name="Tlvs">The v2 TLVs that were understood; <see cref="ProxyTlvs.None"/> for v1.</param>
public sealed record ProxyHeader(
    int Version, ProxyCommand Command, ProxyAddressFamily Family, IPEndPoint? Source, IPEndPoint? Destination, ProxyTlvs Tlvs)
{
    /// <summary>True when the header names the client's TCP addresses, which then replace the connection's.</summary>
    public bool CarriesAddresses => Command == ProxyCommand.Proxy && Source is not null;
}

/// <summary>The TLVs of a v2 header that Postern reads; unknown types are skipped as the specification asks.</summary>
/// <param name="Alpn">PP2_TYPE_ALPN: the application protocol the client negotiated with the proxy, as sent.</param>
/// <param name="Authority">PP2_TYPE_AUTHORITY: the host name the client asked for (TLS SNI at the proxy).</param>
/// <param name="UniqueId">PP2_TYPE_UNIQUE_ID: the proxy's connection identifier, at most 128 bytes.</param>
/// <param name="Ssl">PP2_TYPE_SSL: the client's TLS session with the proxy.</param>
/// <param name="NetworkNamespace">PP2_TYPE_NETNS: the network namespace the proxy accepted the connection in.</param>
/// <param name="ChecksumVerified">A PP2_TYPE_CRC32C was present and matched the header.</param>
public sealed record ProxyTlvs(
    byte[]? Alpn, string? Authority, byte[]? UniqueId, ProxySslInfo? Ssl, string? NetworkNamespace, bool ChecksumVerified)
{
    public static ProxyTlvs None { get; } = new(null, null, null, null, null, false);
}

/// <summary>PP2_TYPE_SSL: how the client reached the proxy over TLS.</summary>
/// <param name="ClientFlags">PP2_CLIENT_SSL (1), PP2_CLIENT_CERT_CONN (2), PP2_CLIENT_CERT_SESS (4).</param>
/// <param name="Verify">0 when the client presented a certificate that the proxy verified.</param>
/// <param name="Version">PP2_SUBTYPE_SSL_VERSION, e.g. "TLSv1.3".</param>
/// <param name="CommonName">PP2_SUBTYPE_SSL_CN: the client certificate's subject common name.</param>
/// <param name="Cipher">PP2_SUBTYPE_SSL_CIPHER.</param>
/// <param name="SignatureAlgorithm">PP2_SUBTYPE_SSL_SIG_ALG.</param>
/// <param name="KeyAlgorithm">PP2_SUBTYPE_SSL_KEY_ALG.</param>
public sealed record ProxySslInfo(
    byte ClientFlags, uint Verify, string? Version, string? CommonName, string? Cipher, string? SignatureAlgorithm, string? KeyAlgorithm)
{
    /// <summary>The client spoke TLS to the proxy (PP2_CLIENT_SSL).</summary>
    public bool ClientUsedTls => (ClientFlags & 0x01) != 0;
}
