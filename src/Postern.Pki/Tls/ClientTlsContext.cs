using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Postern.Core.Tls;
using Postern.Pki.Certificates;

namespace Postern.Pki.Tls;

/// <summary>
/// The relay client's TLS: presents tls.client_cert/tls.client_key (or a route's own
/// client_cert/client_key) when a server asks for a certificate, and verifies the server's certificate after the handshake against the configured
/// CA bundle or, without one, the system trust store. Reloads swap the material for new
/// connections only; a failed reload keeps the old material.
/// </summary>
public sealed class ClientTlsContext : IClientTlsContext, IDisposable
{
    private readonly TlsSettings settings;
    private readonly string? verifyCaFile;
    private readonly IReadOnlyCollection<CertificateFiles> routeCertificates;
    private readonly TimeProvider clock;
    private readonly Lock reloadGate = new();
    private ClientTlsMaterial material;
    private TlsFileWatcher? watcher;

    /// <param name="settings">The <c>[tls]</c> settings: client certificate, protocol floor, ciphers.</param>
    /// <param name="verifyCaFile">PEM bundle of CAs trusted for server certificates; null = the system trust store.</param>
    /// <param name="clock">Time for verification and validity warnings.</param>
    /// <param name="routeCertificates">The routes' own client certificates, loaded, checked and reloaded with the global one.</param>
    /// <exception cref="TlsConfigurationException">A configured file cannot be used; the message names it.</exception>
    public ClientTlsContext(TlsSettings settings, string? verifyCaFile, TimeProvider clock, IReadOnlyCollection<CertificateFiles>? routeCertificates = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clock);
        this.settings = settings;
        this.verifyCaFile = verifyCaFile;
        this.clock = clock;
        this.routeCertificates = routeCertificates?.Distinct().ToArray() ?? [];
        (material, Warnings) = Load(settings, verifyCaFile, this.routeCertificates, clock.GetUtcNow());
    }

    /// <summary>What the last successful load found worth saying (an exposed key file, an expired certificate...).</summary>
    public IReadOnlyList<string> Warnings { get; private set; }

    /// <summary>The material new connections use.</summary>
    public ClientTlsMaterial Material => Volatile.Read(ref material);

    public SslClientAuthenticationOptions CreateClientOptions(string targetHost) => CreateClientOptions(targetHost, null);

    public SslClientAuthenticationOptions CreateClientOptions(string targetHost, CertificateFiles? clientCertificate)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetHost);
        var current = Material;
        var certificate = clientCertificate is null ? current.ClientCertificate
            : current.RouteCertificates.TryGetValue(clientCertificate, out var routeCertificate) ? routeCertificate
            : throw new InvalidOperationException($"{clientCertificate.CertificateFile} is not one of the routes' client certificates this context loaded");
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            EnabledSslProtocols = current.Protocols,
            CipherSuitesPolicy = current.CipherSuites,
            // A client certificate is only ever sent in answer to the server's CertificateRequest.
            ClientCertificateContext = certificate,
            // VerifyServer decides after the handshake, so the relay can log verify=FAIL and apply its
            // policy (opportunistic TLS goes on, "verify" destinations defer) instead of losing the reason.
#pragma warning disable CA5359 // accepting here is deliberate: VerifyServer decides, and only OK counts as verified
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            AllowTlsResume = true,
            EncryptionPolicy = EncryptionPolicy.RequireEncryption,
        };
        return options;
    }

    public CertificateVerification VerifyServer(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> intermediates, string hostName) =>
        CertificateVerifier.VerifyServer(certificate, intermediates, Material.TrustAnchors, hostName, clock.GetUtcNow());

    /// <summary>Loads the client certificate and CA bundle again; on failure keeps the current material and returns the error.</summary>
    public bool TryReload(out string? error)
    {
        lock (reloadGate)
        {
            try
            {
                var (loaded, warnings) = Load(settings, verifyCaFile, routeCertificates, clock.GetUtcNow());
                // The old material is not disposed: open connections may still be using it.
                Volatile.Write(ref material, loaded);
                Warnings = warnings;
                error = null;
                return true;
            }
            catch (Exception e) when (e is TlsConfigurationException or IOException or UnauthorizedAccessException or CryptographicException)
            {
                error = e.Message;
                return false;
            }
        }
    }

    /// <summary>Polls the client certificate, its key and the CA bundle every <paramref name="interval"/> and reloads when they change.</summary>
    public void StartWatching(TimeSpan interval, TimeProvider pollClock, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(pollClock);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        lock (reloadGate)
        {
            watcher?.Dispose();
            watcher = new TlsFileWatcher(() => TlsFileSnapshot.TakeFiles(WatchedFiles()), () => ReloadAndLog(logger), interval, pollClock);
        }
    }

    /// <summary>Reloads now (SIGHUP or a file change) and logs the outcome; on failure the current material stays.</summary>
    public void ReloadAndLog(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        if (TryReload(out var error))
        {
            foreach (var warning in Warnings)
            {
                TlsLog.Warning(logger, warning);
            }
            var files = WatchedFiles().OfType<string>().ToList();
            TlsLog.ClientReloaded(logger, files.Count == 0 ? "no files: the system's CAs" : string.Join(", ", files));
        }
        else
        {
            TlsLog.ClientReloadFailed(logger, error!);
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

    private IEnumerable<string?> WatchedFiles() =>
        [settings.ClientCertificate?.CertificateFile, settings.ClientCertificate?.KeyFile, verifyCaFile,
            .. routeCertificates.SelectMany(c => new[] { c.CertificateFile, c.KeyFile })];

    private static (ClientTlsMaterial Material, IReadOnlyList<string> Warnings) Load(
        TlsSettings settings, string? verifyCaFile, IReadOnlyCollection<CertificateFiles> routeCertificates, DateTimeOffset now)
    {
        var warnings = new List<string>();
        var certificate = settings.ClientCertificate is { } files && IsPresent(settings, files, warnings) ? LoadClientCertificate(files, now, warnings) : null;
        var routes = routeCertificates.ToDictionary(c => c, c => LoadClientCertificate(c, now, warnings));
        var anchors = verifyCaFile is null ? null : LoadAnchors(verifyCaFile, warnings);
        var suites = settings.CipherSuites ?? DefaultCipherSuites.All;
        if (suites.Count == 0)
        {
            throw new TlsConfigurationException("tls.ciphers: the list of cipher suites is empty");
        }
        var material = new ClientTlsMaterial(certificate, anchors, TlsMaterialLoader.Protocols(settings.MinVersion), new CipherSuitesPolicy(suites))
        {
            RouteCertificates = routes,
        };
        return (material, warnings);
    }

    /// <summary>
    /// tls.client_cert = "acme" before the first issuance: no certificate yet is not an error, the
    /// relay presents none (a server that requires one refuses, as it would without the setting),
    /// and the watcher loads the live file when it appears.
    /// </summary>
    private static bool IsPresent(TlsSettings settings, CertificateFiles files, List<string> warnings)
    {
        if (!settings.ClientCertificateFromAcme || File.Exists(files.CertificateFile))
        {
            return true;
        }
        warnings.Add($"tls.client_cert = \"acme\": no ACME certificate yet ({files.CertificateFile}); relaying presents no client certificate until ACME issues one");
        return false;
    }

    private static X509Certificate2Collection LoadAnchors(string verifyCaFile, List<string> warnings)
    {
        try
        {
            return CaLoader.Load(verifyCaFile, null, warnings);
        }
        catch (TlsConfigurationException e)
        {
            // CaLoader speaks of ca_file (the client-certificate CAs); say which bundle this is.
            throw e.WithSuffix(" (the CA bundle for verifying servers when relaying)");
        }
    }

    private static SslStreamCertificateContext LoadClientCertificate(CertificateFiles files, DateTimeOffset now, List<string> warnings)
    {
        var chain = PemCertificateLoader.Load(files);
        if (KeyFileSafety.Check(files.KeyFile ?? files.CertificateFile) is { } unsafeKey)
        {
            warnings.Add(unsafeKey);
        }
        var leaf = chain.Leaf;
        if (leaf.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            warnings.Add($"{files.CertificateFile}: the client certificate is not valid before {leaf.NotBefore.ToUniversalTime():u}");
        }
        else if (leaf.NotAfter.ToUniversalTime() < now.UtcDateTime)
        {
            warnings.Add($"{files.CertificateFile}: the client certificate expired on {leaf.NotAfter.ToUniversalTime():u}");
        }
        try
        {
            // offline: the chain sent is what the file holds; nothing is fetched.
            return SslStreamCertificateContext.Create(leaf, [.. chain.Intermediates], offline: true);
        }
        catch (Exception e) when (e is CryptographicException or NotSupportedException)
        {
            throw TlsConfigurationException.About(files.CertificateFile, $"the client certificate cannot be used for TLS: {e.Message}", e);
        }
    }
}
