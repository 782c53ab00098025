namespace Postern.Delivery.Relay;

/// <summary>
/// What must match for a kept session to carry another message: the same host and port, the same
/// TLS policy (a session opened under "may" must not serve a "verify" route) and the same AUTH identity.
/// </summary>
internal readonly record struct RelaySessionKey(string HostName, int Port, OutboundTlsPolicy Tls, string? Identity)
{
    public static RelaySessionKey For(RelayHost host, OutboundTlsPolicy tls, RelayCredential? credential) =>
        new(host.Name.ToUpperInvariant(), host.Port, tls, credential is null ? null : credential.UserName + "\0" + credential.AuthorizationId);
}
