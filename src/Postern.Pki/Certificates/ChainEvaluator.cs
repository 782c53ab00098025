using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;

namespace Postern.Pki.Certificates;

/// <summary>Builds an X509Chain under a strict policy and turns its status into one <see cref="ChainProblem"/>.</summary>
internal static class ChainEvaluator
{
    private const X509ChainStatusFlags TrustFlags =
        X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.NotSignatureValid
        | X509ChainStatusFlags.Cyclic | X509ChainStatusFlags.ExplicitDistrust | X509ChainStatusFlags.InvalidBasicConstraints
        | X509ChainStatusFlags.HasNotSupportedNameConstraint | X509ChainStatusFlags.HasNotDefinedNameConstraint
        | X509ChainStatusFlags.HasNotPermittedNameConstraint | X509ChainStatusFlags.HasExcludedNameConstraint
        | X509ChainStatusFlags.InvalidNameConstraints | X509ChainStatusFlags.InvalidPolicyConstraints
        | X509ChainStatusFlags.NoIssuanceChainPolicy;

    private const X509ChainStatusFlags MalformedFlags =
        X509ChainStatusFlags.InvalidExtension | X509ChainStatusFlags.HasNotSupportedCriticalExtension;

    // Not failures here: revocation is NoCheck (CRLs are applied by hand) and time nesting is a legacy Windows check.
    private const X509ChainStatusFlags IgnoredFlags =
        X509ChainStatusFlags.NotTimeNested | X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;

    /// <summary>
    /// Null when the chain verifies; otherwise the most fundamental problem (trust, then revocation,
    /// time, usage). <paramref name="trustAnchors"/> null means the system store.
    /// </summary>
    public static ChainProblem? Evaluate(
        X509Certificate2 certificate,
        IReadOnlyCollection<X509Certificate2> intermediates,
        X509Certificate2Collection? trustAnchors,
        string usageOid,
        string usageName,
        IReadOnlyCollection<RevokedSerials>? crls,
        DateTimeOffset now)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        if (trustAnchors is null)
        {
            policy.TrustMode = X509ChainTrustMode.System;
        }
        else
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(trustAnchors);
        }

        foreach (var intermediate in intermediates)
        {
            policy.ExtraStore.Add(intermediate);
        }

        policy.VerificationTime = now.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.ApplicationPolicy.Add(new Oid(usageOid));
        policy.DisableCertificateDownloads = true;

        try
        {
            chain.Build(certificate);
        }
        catch (CryptographicException e)
        {
            return new ChainProblem(VerifyFailure.Invalid, "certificate cannot be processed: " + e.Message);
        }

        var elements = chain.ChainElements.Cast<X509ChainElement>().ToList();
        try
        {
            return Classify(certificate, elements, chain.ChainStatus, usageName, crls, now);
        }
        finally
        {
            foreach (var element in elements)
            {
                // Chain elements are fresh copies; never dispose the caller's own instances.
                if (!ReferenceEquals(element.Certificate, certificate)
                    && !intermediates.Any(i => ReferenceEquals(i, element.Certificate))
                    && (trustAnchors is null || !trustAnchors.Any(a => ReferenceEquals(a, element.Certificate))))
                {
                    element.Certificate.Dispose();
                }
            }
        }
    }

    private static ChainProblem? Classify(
        X509Certificate2 certificate,
        List<X509ChainElement> elements,
        X509ChainStatus[] chainStatus,
        string usageName,
        IReadOnlyCollection<RevokedSerials>? crls,
        DateTimeOffset now)
    {
        var flags = chainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status) & ~IgnoredFlags;
        var top = elements.Count > 0 ? elements[^1].Certificate : certificate;

        if ((flags & X509ChainStatusFlags.NotSignatureValid) != 0)
        {
            var bad = elements.FirstOrDefault(e => e.ChainElementStatus.Any(s => s.Status.HasFlag(X509ChainStatusFlags.NotSignatureValid)));
            return new ChainProblem(VerifyFailure.Untrusted, "signature does not verify, issuer: " + Sendmail((bad?.Certificate ?? certificate).IssuerName));
        }

        if ((flags & TrustFlags) != 0)
        {
            return new ChainProblem(VerifyFailure.Untrusted, "issuer not trusted: " + Sendmail(top.IssuerName));
        }

        if ((flags & MalformedFlags) != 0)
        {
            return new ChainProblem(VerifyFailure.Invalid, "invalid or unsupported critical extension");
        }

        if (crls is { Count: > 0 } && Revoked(elements, crls) is { } revoked)
        {
            return revoked;
        }

        if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
        {
            return TimeProblem(elements, now);
        }

        if ((flags & X509ChainStatusFlags.NotValidForUsage) != 0)
        {
            return new ChainProblem(VerifyFailure.BadUsage, "certificate not valid for " + usageName);
        }

        if (certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } keyUsage
            && !keyUsage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            return new ChainProblem(VerifyFailure.BadUsage, "key usage lacks digitalSignature");
        }

        if (flags != X509ChainStatusFlags.NoError)
        {
            return new ChainProblem(VerifyFailure.Invalid, "chain error: " + flags);
        }

        return null;
    }

    private static ChainProblem? Revoked(List<X509ChainElement> elements, IReadOnlyCollection<RevokedSerials> crls)
    {
        for (var i = 0; i + 1 < elements.Count; i++)
        {
            var subject = elements[i].Certificate;
            var issuer = elements[i + 1].Certificate;
            if (crls.Any(c => c.Revokes(subject, issuer)))
            {
                var who = i == 0 ? "certificate" : "CA certificate " + Sendmail(subject.SubjectName);
                return new ChainProblem(VerifyFailure.Revoked, $"{who} revoked (serial {subject.SerialNumber}) by {Sendmail(issuer.SubjectName)}");
            }
        }

        return null;
    }

    private static ChainProblem TimeProblem(List<X509ChainElement> elements, DateTimeOffset now)
    {
        for (var i = 0; i < elements.Count; i++)
        {
            var element = elements[i];
            if (!element.ChainElementStatus.Any(s => s.Status.HasFlag(X509ChainStatusFlags.NotTimeValid)))
            {
                continue;
            }

            var cert = element.Certificate;
            var who = i == 0 ? "certificate" : "CA certificate " + Sendmail(cert.SubjectName);
            var notAfter = cert.NotAfter.ToUniversalTime();
            var notBefore = cert.NotBefore.ToUniversalTime();
            return now.UtcDateTime > notAfter
                ? new ChainProblem(VerifyFailure.Expired, $"{who} expired {Day(notAfter)}")
                : new ChainProblem(VerifyFailure.NotYetValid, $"{who} not valid before {Day(notBefore)}");
        }

        return new ChainProblem(VerifyFailure.Expired, "certificate outside its validity period");
    }

    private static string Day(DateTime utc) => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Sendmail(X500DistinguishedName name)
    {
        try
        {
            return DistinguishedNameFormatter.ToSendmail(name);
        }
        catch (CryptographicException)
        {
            return name.Name;
        }
    }
}
