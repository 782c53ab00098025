using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;

namespace Postern.Pki.Tls;

/// <summary>
/// Debian's <c>update_tls new</c> for Postern: when no server certificate is configured, a small
/// local CA and a server certificate signed by it, created once in the data directory and reused.
/// The CA's CN differs from the server's: clients treat CA CN = server CN as self-signed and refuse it.
/// </summary>
public static class SelfSignedCertificateGenerator
{
    public const string CaCertificateName = "ca.pem";
    public const string CaKeyName = "ca.key";
    public const string ServerCertificateName = "server.pem";
    public const string ServerKeyName = "server.key";

    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode KeyMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode CertificateMode = KeyMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>Reuses the files in <paramref name="directory"/> when they are complete and cover <paramref name="hostName"/>, else creates them.</summary>
    public static GeneratedCertificate Ensure(string directory, string hostName, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        ArgumentNullException.ThrowIfNull(clock);
        var files = new CertificateFiles(Path.Combine(directory, ServerCertificateName), Path.Combine(directory, ServerKeyName));
        var caFile = Path.Combine(directory, CaCertificateName);
        var now = clock.GetUtcNow();
        if (IsReusable(directory, files, hostName, now))
        {
            return new GeneratedCertificate(files, caFile, Created: false);
        }
        return CreateIn(directory, hostName, files, caFile, now);
    }

    /// <summary>
    /// Always creates new files (<c>update_tls new</c>, <c>postern cert selfsigned --new</c>),
    /// replacing each one atomically.
    /// </summary>
    public static GeneratedCertificate Regenerate(string directory, string hostName, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        ArgumentNullException.ThrowIfNull(clock);
        var files = new CertificateFiles(Path.Combine(directory, ServerCertificateName), Path.Combine(directory, ServerKeyName));
        return CreateIn(directory, hostName, files, Path.Combine(directory, CaCertificateName), clock.GetUtcNow());
    }

    private static GeneratedCertificate CreateIn(string directory, string hostName, CertificateFiles files, string caFile, DateTimeOffset now)
    {
        try
        {
            Directory.CreateDirectory(directory, DirectoryMode);
            File.SetUnixFileMode(directory, DirectoryMode);
            Create(directory, hostName, now);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw TlsConfigurationException.About(directory, $"cannot create the self-signed certificate: {e.Message}", e);
        }
        return new GeneratedCertificate(files, caFile, Created: true);
    }

    public static string CaCommonName(string hostName) => $"Postern local CA for {hostName}";

    private static bool IsReusable(string directory, CertificateFiles files, string hostName, DateTimeOffset now)
    {
        if (!File.Exists(Path.Combine(directory, CaCertificateName)) || !File.Exists(Path.Combine(directory, CaKeyName))
            || !File.Exists(files.CertificateFile) || !File.Exists(files.KeyFile))
        {
            return false;
        }
        try
        {
            var chain = PemCertificateLoader.Load(files);
            using var leaf = chain.Leaf;
            foreach (var intermediate in chain.Intermediates)
            {
                intermediate.Dispose();
            }
            // A renamed host or an expired certificate gets a fresh one rather than a broken start.
            return leaf.MatchesHostname(hostName) && leaf.NotAfter.ToUniversalTime() > now.UtcDateTime;
        }
        catch (TlsConfigurationException)
        {
            return false;
        }
    }

    private static void Create(string directory, string hostName, DateTimeOffset now)
    {
        var notBefore = now.AddHours(-1); // tolerate clients whose clocks run a little behind
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest(CommonName(CaCommonName(hostName)), caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, now.AddYears(10));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest(CommonName(hostName), serverKey, HashAlgorithmName.SHA256);
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthOid)], false));
        serverRequest.CertificateExtensions.Add(SubjectAlternativeNames(hostName));
        serverRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(serverRequest.PublicKey, false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var server = serverRequest.Create(ca, notBefore, now.AddDays(825), RandomSerial());

        // Keys first: a crash between writes leaves an incomplete set, which the next start replaces.
        Write(Path.Combine(directory, CaKeyName), caKey.ExportPkcs8PrivateKeyPem(), KeyMode);
        Write(Path.Combine(directory, ServerKeyName), serverKey.ExportPkcs8PrivateKeyPem(), KeyMode);
        Write(Path.Combine(directory, CaCertificateName), ca.ExportCertificatePem() + "\n", CertificateMode);
        Write(Path.Combine(directory, ServerCertificateName), server.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n", CertificateMode);
    }

    private static X509Extension SubjectAlternativeNames(string hostName)
    {
        var builder = new SubjectAlternativeNameBuilder();
        builder.AddDnsName(hostName);
        if (string.Equals(hostName, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            builder.AddIpAddress(IPAddress.Loopback);
            builder.AddIpAddress(IPAddress.IPv6Loopback);
        }
        return builder.Build();
    }

    private static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive, as RFC 5280 requires
        return serial;
    }

    private static X500DistinguishedName CommonName(string name)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(name);
        return builder.Build();
    }

    private static void Write(string path, string content, UnixFileMode mode)
    {
        var temporary = path + ".tmp";
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
