using Postern.Delivery.Security;

namespace Postern.Delivery.Relay;

/// <summary>
/// What must match for a kept session to carry another message: the same host and port, the same
/// TLS requirement (a session opened under "may" must not serve a "verify" route, nor one that
/// only encrypted a DANE or MTA-STS enforce destination), the same AUTH identity and the same
/// client certificate (a session that proved one route's identity must not carry another route's
/// or another sender's mail).
/// </summary>
internal readonly record struct RelaySessionKey(string HostName, int Port, string Requirement, string? Identity, string? ClientCertificate)
{
    public static RelaySessionKey For(HostSecurity security, RelayIdentity identity) =>
        new(
            security.Host.Name.ToUpperInvariant(),
            security.Host.Port,
            security.Word,
            identity.Credential is { } credential ? credential.UserName + "\0" + credential.AuthorizationId : null,
            identity.ClientCertificate?.CertificateFile);
}
