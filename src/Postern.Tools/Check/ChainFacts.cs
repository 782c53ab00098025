using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;
using Postern.Pki.Certificates;

namespace Postern.Tools.Check;

/// <summary>Turns what a handshake showed into <see cref="TlsFacts"/>: the chain described, verified and name-checked.</summary>
internal static class ChainFacts
{
    public static TlsFacts Describe(string how, SslStream tls, TlsObserver observer, CheckRequest request, DateTimeOffset now)
    {
        var facts = new TlsFacts
        {
            How = how,
            Protocol = TlsNames.Version(tls.SslProtocol),
            Cipher = tls.NegotiatedCipherSuite.ToString(),
            Bits = TlsNames.Bits(tls.NegotiatedCipherSuite),
            TrustedBy = request.TrustAnchorsLabel ?? "the system store",
            NameChecked = request.NameToCheck,
            ClientCertificateRequested = observer.Requested,
            AcceptableIssuers = observer.AcceptableIssuers,
            ClientCertificatePresented = request.ClientCertificate is { } ours ? Subject(ours) : null,
        };
        if (observer.Leaf is not { } leaf)
        {
            return facts with { VerifyProblem = "the server sent no certificate" };
        }
        var verification = CertificateVerifier.VerifyServer(leaf, [.. observer.Intermediates], request.TrustAnchors, request.NameToCheck, now);
        var chainOk = verification.IsOk || verification.Failure == VerifyFailure.HostNameMismatch;
        return facts with
        {
            Chain = [.. new[] { leaf }.Concat(observer.Intermediates).Select(c => Describe(c, now))],
            Verified = chainOk,
            VerifyProblem = chainOk ? null : verification.Reason,
            // .NET's own name check (RFC 6125, IP literals against iPAddress SANs), independent of the chain.
            NameMatches = (observer.PolicyErrors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0,
        };
    }

    public static ChainCertificate Describe(X509Certificate2 certificate, DateTimeOffset now)
    {
        try
        {
            var report = CertificateInspector.Inspect(certificate);
            var facts = report.Facts;
            return new ChainCertificate(
                facts.Subject,
                facts.Issuer,
                facts.NotBefore,
                facts.NotAfter,
                DaysLeft(facts.NotAfter, now),
                facts.DnsNames,
                report.KeyDescription,
                report.IsSelfSigned,
                facts.FingerprintSha256);
        }
        catch (CryptographicException e)
        {
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            return new ChainCertificate(certificate.Subject, certificate.Issuer, new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                notAfter, DaysLeft(notAfter, now), [], "unreadable: " + e.Message, false, CertificateFingerprint.Sha256(certificate));
        }
    }

    /// <summary>Whole days until <paramref name="notAfter"/>; negative once expired.</summary>
    public static int DaysLeft(DateTimeOffset notAfter, DateTimeOffset now) => (int)Math.Floor((notAfter - now).TotalDays);

    private static string Subject(X509Certificate2 certificate)
    {
        try
        {
            return DistinguishedNameFormatter.ToSendmail(certificate.SubjectName);
        }
        catch (CryptographicException)
        {
            return certificate.Subject;
        }
    }
}
