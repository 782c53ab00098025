using Postern.Core.Auth;

namespace Postern.Protocol.Sasl.Server;

/// <summary>What a mechanism may know about the session it runs in.</summary>
/// <param name="Users">Where credentials are looked up.</param>
/// <param name="ServerName">The host name: CRAM-MD5 challenge, DIGEST-MD5 realm and digest-uri.</param>
public sealed record SaslServerContext(IUserDirectory Users, string ServerName)
{
    public bool IsTls { get; init; }

    /// <summary>
    /// The address literals the client reached us by (the connection's local address), which a
    /// client that was given an address instead of a name puts in DIGEST-MD5's digest-uri.
    /// </summary>
    public IReadOnlyCollection<string> ServerAddresses { get; init; } = [];

    /// <summary>RFC 9266 tls-exporter channel binding data for this TLS session; null without TLS 1.3.</summary>
    public byte[]? TlsExporter { get; init; }

    /// <summary>RFC 5929 tls-server-end-point data (hash of our certificate); null without TLS.</summary>
    public byte[]? TlsServerEndPoint { get; init; }

    /// <summary>
    /// The user a verified (verify=OK) client certificate maps to, for EXTERNAL; null when the certificate
    /// is missing, did not verify, or maps to nobody. Only the session sets it, after verification.
    /// </summary>
    public string? ExternalIdentity { get; init; }

    /// <summary>
    /// The mechanisms this session's EHLO offered. SCRAM refuses a client's "y" flag (it supports
    /// channel binding but believes we do not) when a -PLUS name is among them: a downgrade. Null:
    /// assume -PLUS was offered whenever channel-binding data exists.
    /// </summary>
    public IReadOnlyCollection<string>? OfferedMechanisms { get; init; }
}
