using Postern.Delivery.Security;

namespace Postern.Delivery.Relay;

/// <summary>
/// What must match for a kept session to carry another message: the same host and port, the same
/// TLS requirement (a session opened under "may" must not serve a "verify" route, nor one that
/// only encrypted a DANE or MTA-STS enforce destination) and the same AUTH identity.
/// </summary>
internal readonly record struct RelaySessionKey(string HostName, int Port, string Requirement, string? Identity)
{
    public static RelaySessionKey For(HostSecurity security, RelayCredential? credential) =>
        new(security.Host.Name.ToUpperInvariant(), security.Host.Port, security.Word, credential is null ? null : credential.UserName + "\0" + credential.AuthorizationId);
}
