using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.TlsReporting;

namespace Postern.Delivery.Dane;

/// <summary>
/// Checks a server's certificate chain against its TLSA records as RFC 7672 3.1 and RFC 7671 5
/// have SMTP do it. DANE-EE(3): the leaf certificate (selector 0) or its public key (selector 1)
/// matches; names and validity dates are not checked (RFC 7672 3.1.1: the record itself binds the
/// key to the service). DANE-TA(2): a certificate the server sent (the trust anchor must be in its
/// chain, RFC 7671 5.2.2) matches, the leaf chains to it, is within its dates, and names one of the
/// reference identifiers (RFC 7672 3.2.2: the TLSA base domain and the MX host name; a wildcard
/// stands for exactly one leftmost label). PKIX usages (0, 1) and unknown parameters are unusable
/// for SMTP and ignored (RFC 7672 3.1.3).
/// </summary>
public static class DaneMatcher
{
    /// <param name="leaf">The server's certificate.</param>
    /// <param name="intermediates">The rest of the chain the server sent.</param>
    /// <param name="records">The host's validated TLSA records.</param>
    /// <param name="referenceNames">Names a DANE-TA-issued certificate must carry (one is enough).</param>
    /// <param name="now">The time the DANE-TA chain must be valid at.</param>
    public static DaneVerdict Match(
        X509Certificate2 leaf,
        IReadOnlyCollection<X509Certificate2> intermediates,
        IReadOnlyList<TlsaAssociation> records,
        IReadOnlyList<string> referenceNames,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(intermediates);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(referenceNames);
        var usable = records.Where(r => r.IsUsable).ToList();
        if (usable.Count == 0)
        {
            return DaneVerdict.Failed(TlsReportResultType.TlsaInvalid, "no usable TLSA records");
        }
        foreach (var record in usable.Where(r => r.Usage == TlsaAssociation.DaneEe))
        {
            if (Matches(leaf, record))
            {
                return DaneVerdict.Matched(record);
            }
        }
        DaneVerdict? nearMiss = null;
        foreach (var record in usable.Where(r => r.Usage == TlsaAssociation.DaneTa))
        {
            foreach (var anchor in intermediates.Prepend(leaf).Where(c => Matches(c, record)))
            {
                var verdict = CheckIssuedBy(leaf, intermediates, anchor, record, referenceNames, now);
                if (verdict.IsMatch)
                {
                    return verdict;
                }
                nearMiss ??= verdict;
            }
        }
        return nearMiss ?? DaneVerdict.Failed(
            TlsReportResultType.TlsaInvalid,
            $"the certificate matches none of the {usable.Count} usable TLSA record{(usable.Count == 1 ? "" : "s")}");
    }

    /// <summary>True when the certificate (selector 0) or its SubjectPublicKeyInfo (selector 1) matches the record's data.</summary>
    public static bool Matches(X509Certificate2 certificate, TlsaAssociation record)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(record);
        var selected = record.Selector switch
        {
            0 => certificate.RawData,
            1 => certificate.PublicKey.ExportSubjectPublicKeyInfo(),
            _ => null,
        };
        if (selected is null)
        {
            return false;
        }
        var digest = record.MatchingType switch
        {
            0 => selected,
            1 => SHA256.HashData(selected),
            2 => SHA512.HashData(selected),
            _ => null,
        };
        return digest is not null && CryptographicOperations.FixedTimeEquals(digest, record.Data.Span);
    }

    private static DaneVerdict CheckIssuedBy(
        X509Certificate2 leaf,
        IReadOnlyCollection<X509Certificate2> intermediates,
        X509Certificate2 anchor,
        TlsaAssociation record,
        IReadOnlyList<string> referenceNames,
        DateTimeOffset now)
    {
        if (now < leaf.NotBefore || now > leaf.NotAfter)
        {
            return DaneVerdict.Failed(TlsReportResultType.CertificateExpired, $"the certificate is not valid now (valid {leaf.NotBefore:u} to {leaf.NotAfter:u})");
        }
        if (!ReferenceEquals(anchor, leaf) && !ChainsTo(leaf, intermediates, anchor, now))
        {
            return DaneVerdict.Failed(TlsReportResultType.ValidationFailure, "the certificate does not chain to the DANE-TA trust anchor");
        }
        return DaneNames.Match(leaf, referenceNames)
            ? DaneVerdict.Matched(record)
            : DaneVerdict.Failed(
                TlsReportResultType.CertificateHostMismatch,
                $"the certificate names none of {string.Join(", ", referenceNames)}");
    }

    /// <summary>
    /// The leaf chains, through the certificates the server sent, to the anchor. The anchor need not
    /// be self-signed (RFC 7671 5.2.2), and .NET's chain engine on Linux reports a chain that stops
    /// at a non-root anchor as a partial chain: so every link below the anchor must be clean
    /// (signature, dates, CA constraints), and at the anchor only the missing rest of the chain may be reported.
    /// </summary>
    private static bool ChainsTo(X509Certificate2 leaf, IReadOnlyCollection<X509Certificate2> intermediates, X509Certificate2 anchor, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(anchor);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.Build(leaf);
        foreach (var element in chain.ChainElements)
        {
            var isAnchor = element.Certificate.RawDataMemory.Span.SequenceEqual(anchor.RawDataMemory.Span);
            var problems = element.ChainElementStatus
                .Select(s => s.Status)
                .Where(s => s != X509ChainStatusFlags.NoError && !(isAnchor && s is X509ChainStatusFlags.PartialChain or X509ChainStatusFlags.UntrustedRoot));
            if (problems.Any())
            {
                return false;
            }
            if (isAnchor)
            {
                return true;
            }
        }
        return false;
    }
}
