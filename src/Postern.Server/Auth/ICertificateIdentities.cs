using Postern.Core.Tls;

namespace Postern.Server.Auth;

/// <summary>
/// Who a client certificate names for EXTERNAL. Implementations must answer null for anything
/// but a certificate that verified (verify=OK): seed 004's open relay came from trusting a DN.
/// </summary>
public interface ICertificateIdentities
{
    ValueTask<string?> IdentityOfAsync(CertificateVerification peer, CancellationToken cancellationToken);
}
