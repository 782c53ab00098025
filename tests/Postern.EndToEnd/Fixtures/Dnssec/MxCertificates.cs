using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.EndToEnd.Fixtures.Dnssec;

/// <summary>
/// The DNSSEC tests' PKI on disk: a root CA ("Postern E2E MX CA", <c>ca.pem</c>) and its issuing
/// CA, which issues server certificates for MX host names (NAME.pem with the chain leaf then
/// issuing CA, NAME.key), and the TLSA records made from them: DANE-EE SPKI SHA-256 (<c>3 1 1</c>)
/// of a leaf, DANE-TA full certificate SHA-256 (<c>2 0 1</c>) of the issuing CA, which every
/// server sends in its chain (a root is not sent by Postern, so a DANE-TA record names the
/// intermediate, as published DANE-TA records usually do). The root is what
/// <c>delivery.verify_ca_file</c> and <c>delivery.https_ca_file</c> name, so MTA-STS's PKIX checks
/// pass for these certificates.
/// </summary>
public sealed class MxCertificates : IDisposable
{
    private readonly ECDsa _caKey;
    private readonly X509Certificate2 _ca;
    private readonly ECDsa _issuerKey;
    private readonly X509Certificate2 _issuer;
    private readonly Dictionary<string, X509Certificate2> _issued = [];

    public MxCertificates()
    {
        Directory = Path.Combine(Path.GetTempPath(), "postern-mx-pki-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Postern E2E MX CA", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllText(CaFile, _ca.ExportCertificatePem() + "\n");

        _issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issuing = new CertificateRequest("CN=Postern E2E MX Issuing CA", _issuerKey, HashAlgorithmName.SHA256);
        issuing.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        issuing.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        issuing.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(issuing.PublicKey, false));
        issuing.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        using var issuer = issuing.Create(_ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(6), SerialNumber());
        _issuer = issuer.CopyWithPrivateKey(_issuerKey);
    }

    public string Directory { get; }

    /// <summary>The CA certificate (PEM): <c>delivery.verify_ca_file</c>, <c>delivery.https_ca_file</c>.</summary>
    public string CaFile => Path.Combine(Directory, "ca.pem");

    public string CertFile(string name) => Path.Combine(Directory, name + ".pem");

    public string KeyFile(string name) => Path.Combine(Directory, name + ".key");

    /// <summary>
    /// Issues <paramref name="name"/>.pem/.key for the DNS names <paramref name="dnsNames"/> (the
    /// first is the CN) and <paramref name="addresses"/>, serverAuth and clientAuth, 90 days.
    /// </summary>
    public void Issue(string name, string[] dnsNames, IPAddress[]? addresses = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + dnsNames[0], key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dnsName in dnsNames)
        {
            san.AddDnsName(dnsName);
        }
        foreach (var address in addresses ?? [])
        {
            san.AddIpAddress(address);
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_issuer, true, false));
        var certificate = request.Create(_issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(_issuerKey),
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(90), SerialNumber());
        File.WriteAllText(CertFile(name), certificate.ExportCertificatePem() + "\n" + _issuer.ExportCertificatePem() + "\n");
        File.WriteAllText(KeyFile(name), key.ExportPkcs8PrivateKeyPem() + "\n");
        File.SetUnixFileMode(KeyFile(name), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _issued[name] = certificate;
    }

    /// <summary>The TLSA record data <c>3 1 1 HEX</c>: DANE-EE, the SHA-256 of <paramref name="name"/>'s public key.</summary>
    public string DaneEe(string name) =>
        "3 1 1 " + Convert.ToHexStringLower(SHA256.HashData(_issued[name].PublicKey.ExportSubjectPublicKeyInfo()));

    /// <summary>The TLSA record data <c>2 0 1 HEX</c>: DANE-TA, the SHA-256 of the whole issuing CA certificate.</summary>
    public string DaneTa() => "2 0 1 " + Convert.ToHexStringLower(SHA256.HashData(_issuer.RawData));

    /// <summary>A DANE-EE record that matches no certificate issued here (a key made and thrown away).</summary>
    public static string MismatchingDaneEe()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return "3 1 1 " + Convert.ToHexStringLower(SHA256.HashData(stranger.ExportSubjectPublicKeyInfo()));
    }

    private static byte[] SerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        return serial;
    }

    public void Dispose()
    {
        foreach (var certificate in _issued.Values)
        {
            certificate.Dispose();
        }
        _issuer.Dispose();
        _issuerKey.Dispose();
        _ca.Dispose();
        _caKey.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
