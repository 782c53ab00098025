using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Postern.Core.Tls;
using Postern.Pki.Certificates;

namespace Postern.Pki.Tls;

/// <summary>
/// The server's TLS: handshake options from the current <see cref="TlsMaterial"/> (certificate by
/// SNI) and client-certificate verification against its trust anchors and CRLs. Reloads swap the
/// material for new handshakes only; a failed reload keeps the old material.
/// </summary>
public sealed class ServerTlsContext : IServerTlsContext, IDisposable
{
    private readonly TlsSettings settings;
    private readonly string hostName;
    private readonly Func<X509Certificate2, IReadOnlyCollection<X509Certificate2>, TlsMaterial, CertificateVerification> verifyClient;
    private readonly TimeProvider clock;
    private readonly Lock reloadGate = new();
    private TlsMaterial material;
    private TlsFileWatcher? watcher;

    /// <param name="settings">What <paramref name="material"/> was loaded from; reloads load it again.</param>
    /// <param name="hostName">The host name the generated certificate is made for.</param>
    /// <param name="material">The material from <see cref="TlsMaterialLoader.Load"/>.</param>
    /// <param name="clock">Time for verification, validity warnings and certificate generation on reload.</param>
    public ServerTlsContext(TlsSettings settings, string hostName, TlsMaterial material, TimeProvider clock)
        : this(settings, hostName, material, (certificate, intermediates, current) => CertificateVerifier.VerifyClient(
            certificate, intermediates, current.TrustAnchors, current.Revocations, clock.GetUtcNow()), clock)
    {
    }

    /// <summary>Test seam: <paramref name="verifyClient"/> replaces the certificate verifier.</summary>
    internal ServerTlsContext(
        TlsSettings settings,
        string hostName,
        TlsMaterial material,
        Func<X509Certificate2, IReadOnlyCollection<X509Certificate2>, TlsMaterial, CertificateVerification> verifyClient,
        TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        ArgumentNullException.ThrowIfNull(material);
        ArgumentNullException.ThrowIfNull(verifyClient);
        this.settings = settings;
        this.hostName = hostName;
        this.material = material;
        this.verifyClient = verifyClient;
        this.clock = clock ?? TimeProvider.System;
    }

    /// <summary>The material new handshakes use.</summary>
    public TlsMaterial Material => Volatile.Read(ref material);

    public SslServerAuthenticationOptions CreateServerOptions(string? serverName, ClientCertificateMode clientCertificates) =>
        CreateServerOptions(Material, Material.Select(serverName), clientCertificates);

    /// <summary>
    /// A client that offers TLS 1.3 gets it (the highest version both sides allow), so when the
    /// configured TLS 1.3 suites are OpenSSL's defaults its handshake runs on a TLS 1.3-only context
    /// with no explicit suite policy: the same suites, but .NET on Linux caches that SSL_CTX and so
    /// issues and accepts session tickets (it never caches one with a CipherSuitesPolicy set). With
    /// an ECDSA and an RSA certificate for the same names, the hello's signature algorithms pick one.
    /// </summary>
    public SslServerAuthenticationOptions CreateServerOptions(string? serverName, ClientHelloFacts hello, ClientCertificateMode clientCertificates)
    {
        var current = Material;
        var options = CreateServerOptions(current, current.Select(serverName, hello.AcceptsEcdsa), clientCertificates);
        if (ResumableTls13.Applies(current, hello.Protocols))
        {
            options.EnabledSslProtocols = SslProtocols.Tls13;
            options.CipherSuitesPolicy = null;
        }
        return options;
    }

    private static SslServerAuthenticationOptions CreateServerOptions(TlsMaterial current, ServerCertificate certificate, ClientCertificateMode clientCertificates)
    {
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate.Context,
            EnabledSslProtocols = current.Protocols,
            CipherSuitesPolicy = current.CipherSuites,
            ClientCertificateRequired = clientCertificates != ClientCertificateMode.None,
            // Verification happens after the handshake (VerifyClient), so a bad certificate in ask
            // mode is recorded as FAIL instead of breaking the session.
#pragma warning disable CA5359 // accepting here is deliberate: VerifyClient decides, and only OK grants anything
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            AllowTlsResume = true,
            EncryptionPolicy = EncryptionPolicy.RequireEncryption,
        };
    }

    public CertificateVerification VerifyClient(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> intermediates)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(intermediates);
        return verifyClient(certificate, intermediates, Material);
    }

    /// <summary>Loads the material again; on failure keeps the current one and returns the error.</summary>
    public bool TryReload(out string? error) => TryReload(out error, out _);

    /// <inheritdoc cref="TryReload(out string?)"/>
    public bool TryReload(out string? error, out IReadOnlyList<string> warnings)
    {
        lock (reloadGate)
        {
            try
            {
                var (loaded, loadWarnings) = TlsMaterialLoader.Load(settings, hostName, clock);
                // The old material is not disposed: open sessions may still be using it.
                Volatile.Write(ref material, loaded);
                error = null;
                warnings = loadWarnings;
                return true;
            }
            catch (Exception e) when (e is TlsConfigurationException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                // Anything the loader did not already phrase is still a reason to keep the old material.
                error = e.Message;
                warnings = [];
                return false;
            }
        }
    }

    /// <summary>Polls the configured files every <paramref name="interval"/> and reloads when they change.</summary>
    public void StartWatching(TimeSpan interval, TimeProvider clock, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        lock (reloadGate)
        {
            watcher?.Dispose();
            watcher = new TlsFileWatcher(settings, () => ReloadAndLog(logger), interval, clock);
        }
    }

    public void Dispose()
    {
        lock (reloadGate)
        {
            watcher?.Dispose();
            watcher = null;
        }
    }

    /// <summary>Reloads now (SIGHUP or a file change) and logs the outcome; on failure the current material stays.</summary>
    public void ReloadAndLog(ILogger logger)
    {
        if (TryReload(out var error, out var warnings))
        {
            foreach (var warning in warnings)
            {
                TlsLog.Warning(logger, warning);
            }
            var files = ReloadedFiles(Material);
            TlsLog.Reloaded(logger, files);
        }
        else
        {
            TlsLog.ReloadFailed(logger, error!);
        }
    }

    /// <summary>The files a reload read, for the log line: each certificate (and key), the CA and CRL settings.</summary>
    private string ReloadedFiles(TlsMaterial loaded)
    {
        var files = loaded.Certificates.SelectMany(c => new[] { c.Files.CertificateFile, c.Files.KeyFile })
            .Concat([settings.CaFile, settings.CaPath, settings.CrlFile, settings.CrlPath]);
        return string.Join(", ", files.OfType<string>().Distinct(StringComparer.Ordinal));
    }
}
