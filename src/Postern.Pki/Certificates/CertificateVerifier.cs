using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;

namespace Postern.Pki.Certificates;

/// <summary>
/// Classifies a peer certificate as sendmail's {verify} does (OK or FAIL, with why), building the
/// chain against explicitly given trust anchors only: the server's client-certificate CAs, or the
/// relay client's CAs for server certificates. Nothing is downloaded and revocation comes only from
/// the CRLs given.
/// </summary>
public static class CertificateVerifier
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>Verifies a TLS client's certificate against the configured CAs (never the system store).</summary>
    /// <param name="certificate">The leaf the client presented.</param>
    /// <param name="intermediates">The other certificates the client sent.</param>
    /// <param name="trustAnchors">The configured CA certificates; empty means nothing can verify.</param>
    /// <param name="crls">Verified CRLs (see <see cref="CrlReader"/>), or null for no revocation checking.</param>
    /// <param name="now">The verification time.</param>
    public static CertificateVerification VerifyClient(
        X509Certificate2 certificate,
        IReadOnlyCollection<X509Certificate2> intermediates,
        X509Certificate2Collection trustAnchors,
        IReadOnlyCollection<RevokedSerials>? crls,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(intermediates);
        ArgumentNullException.ThrowIfNull(trustAnchors);
        var facts = TryReadFacts(certificate);
        if (facts is null)
        {
            return Fail(VerifyFailure.Invalid, "certificate names cannot be read", null);
        }

        if (trustAnchors.Count == 0)
        {
            return Fail(VerifyFailure.Untrusted, "no CA configured", facts);
        }

        var problem = ChainEvaluator.Evaluate(certificate, intermediates, trustAnchors, ClientAuthOid, "client authentication", crls, now);
        return problem is null
            ? new CertificateVerification(VerifyResult.Ok, VerifyFailure.None, null, facts)
            : Fail(problem.Value.Failure, problem.Value.Reason, facts);
    }

    /// <summary>Verifies a server's certificate for the relay client: chain, serverAuth usage and host name.</summary>
    /// <param name="certificate">The leaf the server presented.</param>
    /// <param name="intermediates">The other certificates the server sent.</param>
    /// <param name="trustAnchors">The CAs to trust; null = the system trust store.</param>
    /// <param name="hostName">The name the client connected to (MX or smarthost name), or an IP literal.</param>
    /// <param name="now">The verification time.</param>
    public static CertificateVerification VerifyServer(
        X509Certificate2 certificate,
        IReadOnlyCollection<X509Certificate2> intermediates,
        X509Certificate2Collection? trustAnchors,
        string hostName,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(intermediates);
        ArgumentNullException.ThrowIfNull(hostName);
        var facts = TryReadFacts(certificate);
        if (facts is null)
        {
            return Fail(VerifyFailure.Invalid, "certificate names cannot be read", null);
        }

        if (trustAnchors is { Count: 0 })
        {
            return Fail(VerifyFailure.Untrusted, "no CA configured", facts);
        }

        var problem = ChainEvaluator.Evaluate(certificate, intermediates, trustAnchors, ServerAuthOid, "server authentication", null, now);
        if (problem is not null)
        {
            return Fail(problem.Value.Failure, problem.Value.Reason, facts);
        }

        if (!HostNameMatcher.Matches(certificate, hostName))
        {
            var names = HostNameMatcher.Names(certificate);
            var listed = names.Count == 0 ? "no names" : string.Join(", ", names);
            return Fail(VerifyFailure.HostNameMismatch, $"host name {hostName} does not match certificate ({listed})", facts);
        }

        return new CertificateVerification(VerifyResult.Ok, VerifyFailure.None, null, facts);
    }

    private static CertificateVerification Fail(VerifyFailure failure, string reason, CertificateFacts? facts) =>
        new(VerifyResult.Fail, failure, reason, facts);

    private static CertificateFacts? TryReadFacts(X509Certificate2 certificate)
    {
        try
        {
            return CertificateFactsReader.Read(certificate);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
