using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Tests.Pki;

/// <summary>CRLs made with .NET's builder, signed by a test CA (which must hold its private key).</summary>
internal static class TestCrls
{
    public static byte[] Create(X509Certificate2 issuer, DateTimeOffset? nextUpdate = null, params X509Certificate2[] revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var certificate in revoked)
        {
            builder.AddEntry(certificate, TestCertificates.Now.AddDays(-3));
        }

        return builder.Build(
            issuer,
            BigInteger.One,
            nextUpdate ?? TestCertificates.Now.AddDays(7),
            HashAlgorithmName.SHA256,
            issuer.GetRSAPrivateKey() is null ? null : RSASignaturePadding.Pkcs1,
            TestCertificates.Now.AddDays(-1));
    }

    public static string ToPem(byte[] der) => new(PemEncoding.Write("X509 CRL", der));
}
