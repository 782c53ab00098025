using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;
using Postern.Pki.Certificates;

namespace Postern.Pki.Tls;

/// <summary>
/// Builds <see cref="TlsMaterial"/> from the <c>[tls]</c> settings: server certificates (or the
/// generated one), trust anchors, CRL bytes, protocols and ciphers. Errors throw
/// <see cref="TlsConfigurationException"/>, whose message the executable prints before refusing to start.
/// </summary>
public static class TlsMaterialLoader
{
    public static (TlsMaterial Material, IReadOnlyList<string> Warnings) Load(TlsSettings settings, string hostName, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        clock ??= TimeProvider.System;
        var now = clock.GetUtcNow();
        var warnings = new List<string>();

        // The configured certificates; else the ACME ones that exist; else the generated one.
        var files = settings.ServerCertificates.Count > 0 ? settings.ServerCertificates : ExistingAcmeFiles(settings);
        var generated = files.Count == 0 ? Generate(settings, hostName, clock, warnings) : null;

        var anchors = CaLoader.Load(settings.CaFile, settings.CaPath, warnings);
        var clientCaNames = ClientCaNames(anchors);
        List<ServerCertificate> certificates;
        if (settings.ServerCertificates.Count > 0)
        {
            certificates = [.. files.Select(f => LoadServerCertificate(f, clientCaNames, now, warnings, warnings))];
        }
        else
        {
            certificates = LoadAcmeCertificates(files, clientCaNames, now, warnings);
            if (certificates.Count == 0)
            {
                generated ??= Generate(settings, hostName, clock, warnings);
                // The generated certificate's file ends with its local CA, which is never sent (below); that is
                // said once in the docs and the start-up line, not as a warning at every start.
                certificates = [LoadServerCertificate(generated.Files, clientCaNames, now, warnings, [])];
            }
        }
        if (!certificates.Any(c => c.CoversExactly(hostName) || c.CoversByWildcard(hostName)))
        {
            warnings.Add($"no server certificate covers the host name {hostName}; clients checking names will refuse it");
        }

        var crls = LoadCrls(settings.CrlFile, settings.CrlPath, anchors, now);
        var suites = settings.CipherSuites ?? DefaultCipherSuites.All;
        if (suites.Count == 0)
        {
            throw new TlsConfigurationException("tls.ciphers: the list of cipher suites is empty");
        }
        var material = new TlsMaterial(certificates, anchors, crls, Protocols(settings.MinVersion), new CipherSuitesPolicy(suites), suites)
        {
            UsesGeneratedCertificate = generated is not null && certificates[0].Files == generated.Files,
        };
        return (material, warnings);
    }

    /// <summary>The ACME live files present now (the manager writes them whole, so present means complete).</summary>
    private static List<CertificateFiles> ExistingAcmeFiles(TlsSettings settings) =>
        [.. settings.AcmeCertificates.Where(f => File.Exists(f.CertificateFile))];

    private static GeneratedCertificate Generate(TlsSettings settings, string hostName, TimeProvider clock, List<string> warnings)
    {
        var generated = SelfSignedCertificateGenerator.Ensure(settings.GeneratedCertificateDirectory, hostName, clock);
        if (generated.Created)
        {
            warnings.Add($"no server certificate configured: created a self-signed one for {hostName} in {settings.GeneratedCertificateDirectory} (its CA is {generated.CaCertificateFile})");
        }
        if (settings.AcmeCertificates.Count > 0)
        {
            warnings.Add($"serving the self-signed certificate for {hostName} until ACME issues one");
        }
        return generated;
    }

    /// <summary>
    /// The ACME live files: one that cannot be used is skipped with a warning rather than refusing
    /// the start, since the renewal that replaces it needs the daemon running; with none left the
    /// generated certificate serves.
    /// </summary>
    private static List<ServerCertificate> LoadAcmeCertificates(
        IReadOnlyList<CertificateFiles> files, SslCertificateTrust? clientCaNames, DateTimeOffset now, List<string> warnings)
    {
        var certificates = new List<ServerCertificate>();
        foreach (var file in files)
        {
            try
            {
                certificates.Add(LoadServerCertificate(file, clientCaNames, now, warnings, warnings));
            }
            catch (TlsConfigurationException e)
            {
                warnings.Add($"the ACME certificate is not used: {e.Message}");
            }
        }
        return certificates;
    }

    internal static SslProtocols Protocols(SslProtocols minVersion) => minVersion switch
    {
        SslProtocols.Tls13 => SslProtocols.Tls13,
        SslProtocols.Tls12 or SslProtocols.None => SslProtocols.Tls12 | SslProtocols.Tls13,
        _ => throw new TlsConfigurationException($"tls.min_version: {minVersion} is not allowed; use TLS 1.2 or TLS 1.3"),
    };

    /// <summary>
    /// The CAs named in the certificate request, as sendmail names its CACertFile: a mail client
    /// then offers only a certificate those CAs issued, and does not prompt when it has none. The
    /// names decide nothing: verification is Postern's own, after the handshake.
    /// </summary>
    private static SslCertificateTrust? ClientCaNames(X509Certificate2Collection anchors) =>
        anchors.Count == 0 ? null : SslCertificateTrust.CreateForX509Collection(anchors, sendTrustInHandshake: true);

    private static ServerCertificate LoadServerCertificate(
        CertificateFiles files, SslCertificateTrust? clientCaNames, DateTimeOffset now, List<string> warnings, List<string> chainWarnings)
    {
        var chain = PemCertificateLoader.Load(files);
        if (KeyFileSafety.Check(files.KeyFile ?? files.CertificateFile) is { } unsafeKey)
        {
            warnings.Add(unsafeKey);
        }
        var leaf = chain.Leaf;
        if (leaf.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            warnings.Add($"{files.CertificateFile}: the certificate is not valid before {leaf.NotBefore.ToUniversalTime():u}");
        }
        else if (leaf.NotAfter.ToUniversalTime() < now.UtcDateTime)
        {
            warnings.Add($"{files.CertificateFile}: the certificate expired on {leaf.NotAfter.ToUniversalTime():u}");
        }

        SslStreamCertificateContext context;
        try
        {
            // offline: no AIA fetching or OCSP at startup; the chain is what the file holds.
            context = SslStreamCertificateContext.Create(leaf, [.. chain.Intermediates], offline: true, clientCaNames);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or NotSupportedException)
        {
            throw TlsConfigurationException.About(files.CertificateFile, $"the certificate cannot be used for TLS: {e.Message}", e);
        }
        chainWarnings.AddRange(UnsentChainCertificates(files.CertificateFile, chain.Intermediates, context));
        return new ServerCertificate(files, leaf, chain.Intermediates, context, Names(leaf));
    }

    /// <summary>
    /// The certificates of the file that the handshake will not carry. On Linux .NET sends the chain
    /// up to, not including, the root (RFC 8446 4.4.2 lets a server leave the trust anchor out, and
    /// SslStreamCertificateContext always does), and nothing that is not on the leaf's chain.
    /// </summary>
    private static IEnumerable<string> UnsentChainCertificates(string file, IReadOnlyList<X509Certificate2> inFile, SslStreamCertificateContext context)
    {
        var sent = context.IntermediateCertificates.Select(c => c.Thumbprint).ToHashSet(StringComparer.Ordinal);
        foreach (var certificate in inFile.Where(c => !sent.Contains(c.Thumbprint)))
        {
            var name = DistinguishedNameFormatter.ToSendmail(certificate.SubjectName);
            yield return certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData)
                ? $"{file}: the root CA {name} is not sent to clients (a root is never sent; clients that verify must have it)"
                : $"{file}: {name} is not on the certificate's chain and is not sent to clients";
        }
    }

    private static List<string> Names(X509Certificate2 leaf)
    {
        var names = new List<string>();
        foreach (var extension in leaf.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames());
            }
        }
        var commonName = leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (names.Count == 0 && !string.IsNullOrEmpty(commonName))
        {
            names.Add(commonName); // old certificates name the host only in the CN
        }
        return names;
    }

    /// <summary>
    /// Reads every CRL now, so a CRL that is unreadable, not signed by a configured CA or past its
    /// nextUpdate refuses the start (or the reload) instead of quietly accepting what it revokes.
    /// </summary>
    private static List<RevokedSerials> LoadCrls(string? crlFile, string? crlPath, X509Certificate2Collection anchors, DateTimeOffset now)
    {
        var files = new List<(string Path, string Key)>();
        if (crlFile is not null)
        {
            files.Add((crlFile, "crl_file"));
        }
        if (crlPath is not null)
        {
            if (!Directory.Exists(crlPath))
            {
                throw TlsConfigurationException.About(crlPath, "crl_path is not a directory");
            }
            files.AddRange(Directory.EnumerateFiles(crlPath).Order(StringComparer.Ordinal).Select(f => (f, "crl_path")));
        }
        var revocations = new List<RevokedSerials>();
        foreach (var (path, key) in files)
        {
            try
            {
                revocations.AddRange(CrlReader.Read(ReadBytes(path, key), anchors, now));
            }
            catch (CrlException e)
            {
                throw TlsConfigurationException.About(path, $"{key}: {e.Message}", e);
            }
        }
        return revocations;
    }

    private static byte[] ReadBytes(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw TlsConfigurationException.About(path, $"cannot read {what}: {e.Message}", e);
        }
    }
}
