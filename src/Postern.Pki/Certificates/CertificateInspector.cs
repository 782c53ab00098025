using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Pki.Certificates;

/// <summary>Describes a certificate for people (<c>postern cert show</c>) and checks whether it chains to given CAs.</summary>
public static class CertificateInspector
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    private static readonly Dictionary<string, string> PurposeNames = new(StringComparer.Ordinal)
    {
        [ServerAuthOid] = "serverAuth",
        [ClientAuthOid] = "clientAuth",
        ["1.3.6.1.5.5.7.3.3"] = "codeSigning",
        ["1.3.6.1.5.5.7.3.4"] = "emailProtection",
        ["1.3.6.1.5.5.7.3.8"] = "timeStamping",
        ["1.3.6.1.5.5.7.3.9"] = "OCSPSigning",
        ["2.5.29.37.0"] = "anyExtendedKeyUsage",
    };

    private static readonly (X509KeyUsageFlags Flag, string Name)[] UsageNames =
    [
        (X509KeyUsageFlags.DigitalSignature, "digitalSignature"),
        (X509KeyUsageFlags.NonRepudiation, "nonRepudiation"),
        (X509KeyUsageFlags.KeyEncipherment, "keyEncipherment"),
        (X509KeyUsageFlags.DataEncipherment, "dataEncipherment"),
        (X509KeyUsageFlags.KeyAgreement, "keyAgreement"),
        (X509KeyUsageFlags.KeyCertSign, "keyCertSign"),
        (X509KeyUsageFlags.CrlSign, "cRLSign"),
        (X509KeyUsageFlags.EncipherOnly, "encipherOnly"),
        (X509KeyUsageFlags.DecipherOnly, "decipherOnly"),
    ];

    /// <exception cref="CryptographicException">A name in the certificate is not valid ASN.1.</exception>
    public static CertificateReport Inspect(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var usages = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return new CertificateReport(
            Facts: CertificateFactsReader.Read(certificate),
            KeyDescription: DescribeKey(certificate),
            KeyUsages: usages is null ? [] : [.. UsageNames.Where(u => usages.KeyUsages.HasFlag(u.Flag)).Select(u => u.Name)],
            ExtendedKeyUsages: eku is null ? [] : [.. eku.EnhancedKeyUsages.Cast<Oid>().Select(o => PurposeNames.GetValueOrDefault(o.Value ?? "", o.Value ?? "?"))],
            IpAddresses: san is null ? [] : [.. TryIpAddresses(san)],
            IsCa: constraints?.CertificateAuthority == true,
            IsSelfSigned: IsSelfSigned(certificate));
    }

    /// <summary>
    /// Null when <paramref name="certificate"/> chains to one of <paramref name="trustAnchors"/> at
    /// <paramref name="now"/> for the purpose it states (clientAuth unless it is a server-only
    /// certificate); otherwise why not.
    /// </summary>
    public static string? ChainProblem(
        X509Certificate2 certificate,
        IReadOnlyCollection<X509Certificate2> intermediates,
        X509Certificate2Collection trustAnchors,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(trustAnchors);
        if (trustAnchors.Count == 0)
        {
            return "no CA configured (tls.ca_file, tls.ca_path)";
        }
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        var serverOnly = eku is not null
            && eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ServerAuthOid)
            && !eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ClientAuthOid);
        var problem = serverOnly
            ? ChainEvaluator.Evaluate(certificate, intermediates, trustAnchors, ServerAuthOid, "server authentication", null, now)
            : ChainEvaluator.Evaluate(certificate, intermediates, trustAnchors, ClientAuthOid, "client authentication", null, now);
        return problem?.Reason;
    }

    private static string DescribeKey(X509Certificate2 certificate)
    {
        switch (certificate.GetKeyAlgorithm())
        {
            case RsaOid:
                using (var rsa = certificate.GetRSAPublicKey())
                {
                    return rsa is null ? "RSA" : $"RSA ({rsa.KeySize} bits)";
                }
            case EcOid:
                using (var ecdsa = certificate.GetECDsaPublicKey())
                {
                    if (ecdsa is null)
                    {
                        return "EC";
                    }
                    var curve = ecdsa.ExportParameters(false).Curve;
                    var name = curve.Oid?.Value switch
                    {
                        "1.2.840.10045.3.1.7" => "P-256",
                        "1.3.132.0.34" => "P-384",
                        "1.3.132.0.35" => "P-521",
                        _ => curve.Oid?.FriendlyName ?? curve.Oid?.Value ?? "unknown curve",
                    };
                    return $"ECDSA {name} ({ecdsa.KeySize} bits)";
                }
            case var other:
                return other;
        }
    }

    private static List<string> TryIpAddresses(X509SubjectAlternativeNameExtension san)
    {
        try
        {
            return san.EnumerateIPAddresses().Select(a => a.ToString()).ToList();
        }
        catch (CryptographicException)
        {
            return [];
        }
    }

    private static bool IsSelfSigned(X509Certificate2 certificate)
    {
        if (!certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
        {
            return false;
        }
        // Same name is not enough (seed 004's bogus certificate copies a good DN): the own key must verify the signature.
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreWrongUsage | X509VerificationFlags.IgnoreInvalidBasicConstraints;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.Build(certificate);
        return !chain.ChainStatus.Any(s => s.Status.HasFlag(X509ChainStatusFlags.NotSignatureValid) || s.Status.HasFlag(X509ChainStatusFlags.UntrustedRoot));
    }
}
