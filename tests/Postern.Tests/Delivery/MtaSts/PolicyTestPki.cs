using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Tests.Pki;

namespace Postern.Tests.Delivery.MtaSts;

/// <summary>A test CA and server certificates from it (with their keys, usable by SslStream on Linux).</summary>
internal static class PolicyTestPki
{
    public static X509Certificate2 CreateCa(string name = "CN=Postern test policy CA") => TestCertificates.CreateRootCa(name);

    public static X509Certificate2 CreateServer(X509Certificate2 ca, params string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + names[0], key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        TestCertificates.ServerFor(names)(request);
        var now = DateTimeOffset.UtcNow;
        using var signed = request.Create(ca, now.AddDays(-1), now.AddDays(30), TestCertificates.NewSerial());
        using var withKey = signed.CopyWithPrivateKey(key);
        // Round-trip through PKCS#12 so the key is usable by SslStream on Linux.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
