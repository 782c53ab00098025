using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Tests.Config.Lint;

/// <summary>Self-signed PEM certificates and keys on disk, for checks that read files as `serve` does.</summary>
internal static class PemFiles
{
    public const string Host = "mx.test.example";

    /// <summary>Writes a certificate for <paramref name="host"/>; the key goes to <paramref name="keyPath"/>, or after the certificate when null.</summary>
    public static void Write(string certificatePath, string? keyPath, ECDsa key, DateTimeOffset notAfter, string host = Host)
    {
        var request = new CertificateRequest("CN=" + host, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), notAfter);
        Directory.CreateDirectory(Path.GetDirectoryName(certificatePath)!);
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n" + (keyPath is null ? keyPem + "\n" : ""));
        if (keyPath is null)
        {
            File.SetUnixFileMode(certificatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return;
        }
        File.WriteAllText(keyPath, keyPem + "\n");
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public static void Write(string certificatePath, string? keyPath, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Write(certificatePath, keyPath, key, notAfter ?? DateTimeOffset.UtcNow.AddYears(1));
    }
}
