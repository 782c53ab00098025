namespace Postern.Delivery.Relay;

/// <summary>
/// What must match for a kept session to carry another message: the same host and port, the same
/// TLS policy (a session opened under "may" must not serve a "verify" route), the same AUTH
/// identity and the same client certificate (a session that proved one route's identity must not
/// carry another route's or another sender's mail).
/// </summary>
internal readonly record struct RelaySessionKey(string HostName, int Port, OutboundTlsPolicy Tls, string? Identity, string? ClientCertificate)
{
    public static RelaySessionKey For(RelayHost host, OutboundTlsPolicy tls, RelayIdentity identity) =>
        new(
            host.Name.ToUpperInvariant(),
            host.Port,
            tls,
            identity.Credential is { } credential ? credential.UserName + "\0" + credential.AuthorizationId : null,
            identity.ClientCertificate?.CertificateFile);
}
