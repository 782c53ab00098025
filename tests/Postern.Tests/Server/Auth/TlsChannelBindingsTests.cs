using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Server.Connections;

namespace Postern.Tests.Server.Auth;

public sealed class TlsChannelBindingsTests
{
    [Theory]
    [InlineData("SHA256", 32)]
    [InlineData("SHA384", 48)]
    [InlineData("SHA512", 64)]
    public void Server_end_point_hashes_the_certificate_with_its_signature_hash(string hash, int length)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=mx.test", key, new HashAlgorithmName(hash), RSASignaturePadding.Pss);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var expected = hash switch
        {
            "SHA384" => SHA384.HashData(certificate.RawData),
            "SHA512" => SHA512.HashData(certificate.RawData),
            _ => SHA256.HashData(certificate.RawData),
        };

        var binding = TlsChannelBindings.ServerEndPoint(certificate);

        Assert.Equal(length, binding!.Length);
        Assert.Equal(expected, binding);
    }

    [Fact]
    public void Ecdsa_certificates_use_their_signature_hash()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var certificate = new CertificateRequest("CN=ec", key, HashAlgorithmName.SHA384).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Assert.Equal(SHA384.HashData(certificate.RawData), TlsChannelBindings.ServerEndPoint(certificate));
    }
}
