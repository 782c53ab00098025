using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Pki.Acme;
using Postern.Pki.Acme.Protocol;

namespace Postern.Tests.Pki.Acme;

public sealed class AcmeCsrTests
{
    [Theory]
    [InlineData(AcmeKeyTypes.Ecdsa)]
    [InlineData(AcmeKeyTypes.Rsa)]
    public void The_request_names_the_first_domain_as_cn_and_every_domain_as_a_san_and_verifies(AcmeKeyTypes keyType)
    {
        using var key = AcmeCsr.CreateKey(keyType);

        var der = AcmeCsr.Create(["mail.example.org", "mx.example.org", "MAIL.example.org"], key);

        // LoadSigningRequest checks the request's own signature.
        var request = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        Assert.Equal("CN=mail.example.org", request.SubjectName.Name);
        var names = request.CertificateExtensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["mail.example.org", "mx.example.org"], names.EnumerateDnsNames());
        Assert.Equal(keyType == AcmeKeyTypes.Ecdsa ? 256 : 2048, key.KeySize);
        Assert.Equal(keyType == AcmeKeyTypes.Ecdsa ? "1.2.840.10045.2.1" : "1.2.840.113549.1.1.1", request.PublicKey.Oid.Value);
    }

    [Fact]
    public void A_first_name_longer_than_64_characters_goes_in_the_sans_only()
    {
        var longName = new string('a', 60) + ".example.org";
        using var key = AcmeCsr.CreateKey(AcmeKeyTypes.Ecdsa);

        var request = CertificateRequest.LoadSigningRequest(AcmeCsr.Create([longName], key), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);

        Assert.Equal("", request.SubjectName.Name);
        Assert.Equal([longName], request.CertificateExtensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
    }

    [Fact]
    public void Both_key_types_at_once_are_two_keys_not_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AcmeCsr.CreateKey(AcmeKeyTypes.Ecdsa | AcmeKeyTypes.Rsa));
    }
}
