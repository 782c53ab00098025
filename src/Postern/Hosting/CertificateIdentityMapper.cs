using Postern.Core.Auth;
using Postern.Core.Maps;
using Postern.Core.Tls;
using Postern.Policy.Access;
using Postern.Server.Auth;

namespace Postern.Hosting;

/// <summary>
/// EXTERNAL's identity for a verified certificate: the user it is bound to (`postern user
/// bind-cert`), else its subject DN when the access map names this very certificate with RELAY or
/// OK (CERTSUBJECT:, CERTFP:, CERTSPKI:), as sendmail's authid is the DN. An issuer-only entry
/// admits a whole CA and so names nobody in particular: no identity.
/// </summary>
internal sealed class CertificateIdentityMapper(IUserDirectory users, AccessMapSource accessMap) : ICertificateIdentities
{
    public async ValueTask<string?> IdentityOfAsync(CertificateVerification peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!peer.IsOk || peer.Certificate is not { } certificate)
        {
            return null;
        }
        UserRecord? user;
        try
        {
            user = await users.FindByCertificateAsync(certificate.FingerprintSha256, cancellationToken);
        }
        catch (LookupTableUnavailableException)
        {
            // A users table that cannot answer binds nobody; the access map may still name the certificate.
            user = null;
        }
        if (user is { Disabled: false })
        {
            return user.Name;
        }
        AccessMap map;
        try
        {
            map = await accessMap.ViewAsync(AccessNeeds.Certificate, new AccessQuery(System.Net.IPAddress.None, peer), cancellationToken);
        }
        catch (Core.Maps.LookupTableUnavailableException)
        {
            // No identity on a guess: EXTERNAL fails, the client may try again.
            return null;
        }
        return map.LookupCertificate(peer) is { Entry: { Action: AccessAction.Relay or AccessAction.Ok } entry }
            && entry.Tag is AccessTag.CertSubject or AccessTag.CertFp or AccessTag.CertSpki
            ? certificate.Subject
            : null;
    }
}
