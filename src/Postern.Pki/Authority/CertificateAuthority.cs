using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Pki.Certificates;

namespace Postern.Pki.Authority;

/// <summary>
/// A local CA in a directory (<see cref="CaLayout"/>), what seed 001 builds with openssl's CA.pl:
/// it issues server and client certificates, keeps a serial counter and an index, and renews.
/// The CA's CN is never a host name, so no client mistakes a certificate it signed for a self-signed one.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private const string RsaKeyOid = "1.2.840.113549.1.1.1";

    // Clients whose clocks run a little behind still accept a certificate issued just now.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);

    private readonly AsymmetricAlgorithm _key;

    private CertificateAuthority(CaLayout layout, X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        Layout = layout;
        Certificate = certificate;
        _key = key;
    }

    public CaLayout Layout { get; }

    /// <summary>The CA certificate (without its key).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Creates a new CA; refuses when <see cref="CaInitOptions.Directory"/> already has one.</summary>
    /// <exception cref="CaException">The CA exists, the input is bad, or writing failed.</exception>
    public static CertificateAuthority Create(CaInitOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        var layout = new CaLayout(Path.GetFullPath(options.Directory));
        foreach (var existing in new[] { layout.CertificateFile, layout.KeyFile })
        {
            if (File.Exists(existing))
            {
                throw new CaException(CaErrorKind.Exists, $"{existing}: a CA already exists here; not overwritten (move it away to start again)");
            }
        }
        if (options.Days <= 0)
        {
            throw new CaException(CaErrorKind.Usage, $"--days {options.Days}: must be at least 1");
        }
        if (string.IsNullOrWhiteSpace(options.CommonName) || options.CommonName.Length > 64)
        {
            throw new CaException(CaErrorKind.Usage, "--name: the CA name must be 1 to 64 characters");
        }
        if (IssueInputs.IsDnsName(options.CommonName) && options.CommonName.Contains('.', StringComparison.Ordinal))
        {
            throw new CaException(CaErrorKind.Usage,
                $"--name {options.CommonName}: looks like a host name; a CA's CN must differ from every host's (clients take CA CN = server CN for self-signed), e.g. \"Joe's Certificate Authority\"");
        }
        var subject = SubjectNames.Build(options.SubjectPrefix, options.CommonName);
        var now = clock.GetUtcNow();
        using var key = PrivateKeys.Generate(options.Key);
        var request = PrivateKeys.Request(subject, key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var withKey = request.CreateSelfSigned(now - ClockSkew, now.AddDays(options.Days));
        try
        {
            SecureFile.EnsureDirectory(layout.Directory, SecureFile.PrivateDirectoryMode);
            SecureFile.EnsureDirectory(layout.IssuedDirectory, SecureFile.PrivateDirectoryMode);
            using (CaLock.Acquire(layout))
            {
                // The key first, the certificate last: ca.pem present means the CA is complete.
                SecureFile.Write(layout.KeyFile, PrivateKeys.ExportPem(key), SecureFile.PrivateMode);
                SecureFile.Write(layout.SerialFile, SerialCounter.Initial() + "\n", SecureFile.PublicMode);
                CaIndex.Save(layout.IndexFile, []);
                SecureFile.Write(layout.CertificateFile, withKey.ExportCertificatePem() + "\n", SecureFile.PublicMode);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaException(CaErrorKind.Io, $"{layout.Directory}: cannot create the CA: {e.Message}", e);
        }
        return Open(layout.Directory);
    }

    /// <summary>Opens the CA in <paramref name="directory"/>.</summary>
    /// <exception cref="CaException">No CA there, or its files are unreadable or do not match.</exception>
    public static CertificateAuthority Open(string directory)
    {
        var layout = new CaLayout(Path.GetFullPath(directory));
        if (!File.Exists(layout.CertificateFile))
        {
            throw new CaException(CaErrorKind.NotFound, $"{layout.CertificateFile}: no CA here; create one with `postern cert ca init`");
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(File.ReadAllText(layout.CertificateFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new CaException(CaErrorKind.BadData, $"{layout.CertificateFile}: not a readable CA certificate: {e.Message}", e);
        }
        var algorithm = certificate.GetKeyAlgorithm() == RsaKeyOid ? KeyAlgorithm.Rsa3072 : KeyAlgorithm.EcdsaP256;
        AsymmetricAlgorithm key;
        try
        {
            key = PrivateKeys.Load(layout.KeyFile, algorithm);
            using var probe = PrivateKeys.Attach(certificate, key);
        }
        catch (CryptographicException e)
        {
            certificate.Dispose();
            throw new CaException(CaErrorKind.BadData, $"{layout.KeyFile}: does not match {layout.CertificateFile}: {e.Message}", e);
        }
        catch (CaException)
        {
            certificate.Dispose();
            throw;
        }
        return new CertificateAuthority(layout, certificate, key);
    }

    /// <summary>Every certificate in the index, oldest first.</summary>
    public IReadOnlyList<CaIndexEntry> Entries() => CaIndex.Load(Layout.IndexFile);

    /// <summary>The current (not renewed) entry named <paramref name="name"/>, or null.</summary>
    public CaIndexEntry? Find(string name) => Entries().LastOrDefault(e => e.IsCurrent && e.Name == name);

    /// <summary>Issues a new certificate and key; refuses a name already issued (renew it instead) or files that exist.</summary>
    /// <exception cref="CaException">Bad input, an existing certificate, or a write failure.</exception>
    public IssuedCertificate Issue(IssueRequest request, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(clock);
        Validate(request);
        using var guard = CaLock.Acquire(Layout);
        var entries = CaIndex.Load(Layout.IndexFile);
        if (entries.Any(e => e.IsCurrent && e.Name == request.Name))
        {
            throw new CaException(CaErrorKind.Exists, $"{Layout.IndexFile}: '{request.Name}' was already issued; use `postern cert renew {request.Name}`");
        }
        var directory = Path.GetFullPath(request.OutputDirectory ?? Layout.IssuedDirectory);
        var certificateFile = Path.Combine(directory, request.Name + ".pem");
        var keyFile = Path.Combine(directory, request.Name + ".key");
        foreach (var path in new[] { certificateFile, keyFile })
        {
            if (File.Exists(path))
            {
                throw new CaException(CaErrorKind.Exists, $"{path}: already exists; not overwritten");
            }
        }
        using var key = PrivateKeys.Generate(request.Key);
        var subject = SubjectNames.UnderCa(Certificate.SubjectName, request.Name);
        var (entry, shortened) = Sign(request.Kind, request.Name, subject, request.DnsNames, request.IpAddresses, request.EmailAddresses,
            request.Days, key, certificateFile, keyFile, writeKey: true, clock);
        entries.Add(entry);
        SaveIndex(entries);
        return new IssuedCertificate(entry, shortened);
    }

    /// <summary>
    /// Re-issues the current certificate <paramref name="name"/> with the same subject and SANs, over
    /// the same files; the key is kept (CERTSPKI pins keep matching) unless <paramref name="newKey"/>.
    /// </summary>
    /// <exception cref="CaException">No such certificate, its key is unreadable, or a write failure.</exception>
    public RenewedCertificate Renew(string name, int? days, bool newKey, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (days is <= 0)
        {
            throw new CaException(CaErrorKind.Usage, $"--days {days}: must be at least 1");
        }
        using var guard = CaLock.Acquire(Layout);
        var entries = CaIndex.Load(Layout.IndexFile);
        var index = entries.FindLastIndex(e => e.IsCurrent && e.Name == name);
        if (index < 0)
        {
            throw new CaException(CaErrorKind.NotFound, $"{Layout.IndexFile}: no certificate named '{name}' (see `postern cert list`)");
        }
        var previous = entries[index];
        if (!KeyAlgorithmNames.TryParse(previous.KeyAlgorithm, out var algorithm))
        {
            throw new CaException(CaErrorKind.BadData, $"{Layout.IndexFile}: '{name}' has an unknown key type '{previous.KeyAlgorithm}'");
        }
        using var key = newKey ? PrivateKeys.Generate(algorithm) : PrivateKeys.Load(previous.KeyFile, algorithm);
        var subject = new X500DistinguishedName(Convert.FromBase64String(previous.SubjectDer));
        var ips = previous.IpAddresses.Select(System.Net.IPAddress.Parse).ToList();
        var (current, shortened) = Sign(previous.Kind, previous.Name, subject, previous.DnsNames, ips, previous.EmailAddresses,
            days ?? previous.Days, key, previous.CertificateFile, previous.KeyFile, writeKey: newKey, clock);
        entries[index] = previous with { ReplacedBy = current.Serial };
        entries.Add(current);
        SaveIndex(entries);
        return new RenewedCertificate(previous, current, KeyKept: !newKey, shortened);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }

    private static void Validate(IssueRequest request)
    {
        if (IssueInputs.NameProblem(request.Name) is { } problem)
        {
            throw new CaException(CaErrorKind.Usage, $"'{request.Name}': {problem}");
        }
        if (request.Days <= 0)
        {
            throw new CaException(CaErrorKind.Usage, $"--days {request.Days}: must be at least 1");
        }
        foreach (var name in request.DnsNames.Where(n => !IssueInputs.IsDnsName(n)))
        {
            throw new CaException(CaErrorKind.Usage, $"{name}: not a DNS name");
        }
        foreach (var email in request.EmailAddresses.Where(e => !IssueInputs.IsEmailAddress(e)))
        {
            throw new CaException(CaErrorKind.Usage, $"--email {email}: not an email address");
        }
    }

    private (CaIndexEntry Entry, bool Shortened) Sign(
        CertificateKind kind,
        string name,
        X500DistinguishedName subject,
        IReadOnlyList<string> dnsNames,
        IReadOnlyList<System.Net.IPAddress> ipAddresses,
        IReadOnlyList<string> emailAddresses,
        int days,
        AsymmetricAlgorithm key,
        string certificateFile,
        string keyFile,
        bool writeKey,
        TimeProvider clock)
    {
        if (kind == CertificateKind.Server && dnsNames.Any(n => string.Equals(n, DistinguishedNameFormatter.CommonName(Certificate.SubjectName), StringComparison.OrdinalIgnoreCase)))
        {
            throw new CaException(CaErrorKind.Usage, $"{name}: the same as the CA's CN; clients would take the certificate for self-signed");
        }
        var now = clock.GetUtcNow();
        var notAfter = now.AddDays(days);
        var caEnd = new DateTimeOffset(Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var shortened = notAfter > caEnd;
        if (shortened)
        {
            notAfter = caEnd;
        }
        if (notAfter <= now)
        {
            throw new CaException(CaErrorKind.BadData, $"{Layout.CertificateFile}: the CA has expired ({caEnd:u}); create a new one");
        }
        var request = PrivateKeys.Request(subject, key);
        LeafProfile.Apply(request, kind, key, dnsNames, ipAddresses, emailAddresses, Certificate);
        var serial = SerialCounter.Take(Layout.SerialFile);
        using var certificate = request.Create(Certificate.SubjectName, PrivateKeys.Signer(_key), now - ClockSkew, notAfter, serial);
        try
        {
            SecureFile.EnsureDirectory(Path.GetDirectoryName(certificateFile)!, SecureFile.PrivateDirectoryMode);
            if (writeKey)
            {
                SecureFile.Write(keyFile, PrivateKeys.ExportPem(key), SecureFile.PrivateMode);
            }
            SecureFile.Write(certificateFile, certificate.ExportCertificatePem() + "\n" + Certificate.ExportCertificatePem() + "\n", SecureFile.PublicMode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaException(CaErrorKind.Io, $"{certificateFile}: cannot write the certificate or its key: {e.Message}", e);
        }
        var facts = CertificateFactsReader.Read(certificate);
        var entry = new CaIndexEntry(
            Name: name,
            Kind: kind,
            Serial: certificate.SerialNumber,
            Subject: facts.Subject,
            SubjectDer: Convert.ToBase64String(subject.RawData),
            Issuer: facts.Issuer,
            CommonName: facts.SubjectCommonName ?? name,
            DnsNames: [.. dnsNames],
            IpAddresses: [.. ipAddresses.Select(a => a.ToString())],
            EmailAddresses: [.. emailAddresses],
            NotBefore: facts.NotBefore,
            NotAfter: facts.NotAfter,
            Days: days,
            KeyAlgorithm: KeyAlgorithmNames.Name(PrivateKeys.AlgorithmOf(key)),
            CertificateFile: certificateFile,
            KeyFile: keyFile,
            FingerprintSha256: facts.FingerprintSha256,
            SpkiSha256: facts.SpkiSha256);
        return (entry, shortened);
    }

    private void SaveIndex(IReadOnlyList<CaIndexEntry> entries)
    {
        try
        {
            CaIndex.Save(Layout.IndexFile, entries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaException(CaErrorKind.Io, $"{Layout.IndexFile}: cannot write the CA index: {e.Message}", e);
        }
    }
}
