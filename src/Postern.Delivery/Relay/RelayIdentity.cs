using Postern.Core.Tls;

namespace Postern.Delivery.Relay;

/// <summary>
/// Who Postern is to one next hop for one message: the AUTH credential (null: no AUTH) and the
/// client certificate (null: <c>tls.client_cert</c>, or none).
/// </summary>
public sealed record RelayIdentity(RelayCredential? Credential, CertificateFiles? ClientCertificate)
{
    public static RelayIdentity Default { get; } = new(null, null);
}
