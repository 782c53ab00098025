using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Pki.Acme.Protocol;

namespace Postern.Tests.Pki.Acme;

public sealed class AriCertificateIdTests
{
    // RFC 9773 appendix A: AKI keyIdentifier 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4, serial 00:87:65:43:21.
    private const string Rfc9773Example = """
        -----BEGIN CERTIFICATE-----
        MIIBQzCB66ADAgECAgUAh2VDITAKBggqhkjOPQQDAjAVMRMwEQYDVQQDEwpFeGFt
        cGxlIENBMCIYDzAwMDEwMTAxMDAwMDAwWhgPMDAwMTAxMDEwMDAwMDBaMBYxFDAS
        BgNVBAMTC2V4YW1wbGUuY29tMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEeBZu
        7cbpAYNXZLbbh8rNIzuOoqOOtmxA1v7cRm//AwyMwWxyHz4zfwmBhcSrf47NUAFf
        qzLQ2PPQxdTXREYEnKMjMCEwHwYDVR0jBBgwFoAUaYhba4dGQEHhs3uEe6CuLN4B
        yNQwCgYIKoZIzj0EAwIDRwAwRAIge09+S5TZAlw5tgtiVvuERV6cT4mfutXIlwTb
        +FYN/8oCIClDsqBklhB9KAelFiYt9+6FDj3z4KGVelYM5MdsO3pK
        -----END CERTIFICATE-----
        """;

    public static byte[] Rfc9773ExampleDer()
    {
        var fields = PemEncoding.Find(Rfc9773Example);
        return Convert.FromBase64String(Rfc9773Example[fields.Base64Data]);
    }

    [Fact]
    public void The_rfc_9773_example_certificate_has_the_rfcs_identifier()
    {
        Assert.Equal("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE", AriCertificateId.FromDer(Rfc9773ExampleDer()));
    }

    [Fact]
    public void A_certificate_made_here_keeps_the_serials_leading_zero_and_its_issuers_key_id()
    {
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issuerRequest = new CertificateRequest("CN=Issuer", issuerKey, HashAlgorithmName.SHA256);
        issuerRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        issuerRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(issuerRequest.PublicKey, false));
        using var issuer = issuerRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=mail.example.org", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var leaf = leafRequest.Create(issuer, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(7), [0x00, 0x80, 0x01]);

        var keyId = Convert.FromHexString(issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier!);
        Assert.Equal(System.Buffers.Text.Base64Url.EncodeToString(keyId) + ".AIAB", AriCertificateId.From(leaf));
    }

    [Fact]
    public void A_certificate_without_an_authority_key_identifier_has_no_id()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var selfSigned = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        var error = Assert.Throws<AcmeException>(() => AriCertificateId.From(selfSigned));

        Assert.Contains("no authority key identifier", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_is_not_a_certificate()
    {
        Assert.Throws<AcmeException>(() => AriCertificateId.FromDer(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 }));
    }
}
