using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.EndToEnd.Fixtures;

/// <summary>
/// The seeds' PKI on disk, as PEM files: "Joe's Certificate Authority", a server certificate for
/// localhost, Joe User's client certificate, and a forgery carrying exactly Joe User's subject and
/// issuer DN but signed by an impostor CA with the real CA's name; also a certificate from a CA of
/// another name, a self-signed one naming Joe's CA as issuer, an expired one from Joe's CA, and a
/// second valid client of Joe's CA with another subject.
/// </summary>
public sealed class TestPki : IDisposable
{
    private static readonly X500DistinguishedName CaName = Name("Joe's Certificate Authority");
    private static readonly X500DistinguishedName ClientName = Name("Joe User");

    /// <summary>Every client certificate on disk (file stem), for tests that go through them all.</summary>
    public static readonly string[] ClientCertificates = ["client", "forged", "stranger", "selfsigned", "expired", "other"];

    public TestPki()
    {
        Directory = Path.Combine(Path.GetTempPath(), "postern-pki-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = MakeCa(caKey);
        using var impostorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var impostor = MakeCa(impostorKey);
        Write("ca.pem", ca.ExportCertificatePem());
        // The forger's own CA: what a forger's MTA trusts (and so chains the forged certificate to).
        Write("impostor.pem", impostor.ExportCertificatePem());
        WriteIssued("server", new X500DistinguishedName("CN=localhost"), ca, caKey, serverAuth: true);
        WriteIssued("server2", new X500DistinguishedName("CN=localhost"), ca, caKey, serverAuth: true);
        WriteIssued("client", ClientName, ca, caKey, serverAuth: false);
        WriteIssued("forged", ClientName, impostor, impostorKey, serverAuth: false);
        using var strangerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = MakeCa(strangerKey, Name("Mallory's Certificate Authority"));
        WriteIssued("stranger", ClientName, stranger, strangerKey, serverAuth: false);
        WriteSelfSigned("selfsigned");
        WriteIssued("expired", ClientName, ca, caKey, serverAuth: false, expired: true);
        WriteIssued("other", Name("Other User"), ca, caKey, serverAuth: false);
    }

    public string Directory { get; }

    public string this[string file] => Path.Combine(Directory, file);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static X509Certificate2 MakeCa(ECDsa key, X500DistinguishedName? name = null)
    {
        var request = new CertificateRequest(name ?? CaName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>
    /// Encoded C, ST, O, CN, as the seeds' openssl-made certificates are. The builder encodes in the
    /// reverse order of the calls (LDAP string order), hence CN first here.
    /// </summary>
    private static X500DistinguishedName Name(string commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);
        builder.AddOrganizationName("Foo Enterprises");
        builder.AddStateOrProvinceName("Washington");
        builder.AddCountryOrRegion("US");
        return builder.Build();
    }

    /// <summary>Joe User's subject, Joe's CA as issuer name, signed with the certificate's own key.</summary>
    private void WriteSelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(ClientName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var certificate = request.Create(CaName, X509SignatureGenerator.CreateForECDsa(key),
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(90), RandomNumberGenerator.GetBytes(8).Select(b => (byte)(b & 0x7f)).ToArray());
        Write(name + ".pem", certificate.ExportCertificatePem());
        Write(name + ".key", key.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(this[name + ".key"], UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private void WriteIssued(string name, X500DistinguishedName subject, X509Certificate2 issuer, ECDsa issuerKey, bool serverAuth, bool expired = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        using var certificate = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey),
            DateTimeOffset.UtcNow.AddDays(expired ? -60 : 0).AddHours(-1), DateTimeOffset.UtcNow.AddDays(expired ? -1 : 90), serial);
        Write(name + ".pem", certificate.ExportCertificatePem() + "\n" + issuer.ExportCertificatePem());
        Write(name + ".key", key.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(this[name + ".key"], UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private void Write(string file, string pem) => File.WriteAllText(this[file], pem + "\n");
}
