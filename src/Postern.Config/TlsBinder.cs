using System.Net.Security;
using System.Security.Authentication;
using Postern.Core.Tls;
using Postern.Pki.Acme;
using Postern.Pki.Acme.Issuance;

namespace Postern.Config;

/// <summary>
/// Binds <c>[tls]</c>: certificates, trust anchors for client certificates, CRLs, protocol floor,
/// ciphers and the relay client certificate. Only existence of the named files is checked here;
/// their content is the TLS loader's business at start (and at reload).
/// </summary>
internal static class TlsBinder
{
    /// <summary>Under the data directory: where the self-signed certificate is generated.</summary>
    public const string GeneratedDirectoryName = "tls";

    private const string CertificateKey = "certificate";

    // The [tls] keys, to spot them misplaced after a [[tls.certificate]] header.
    private static readonly string[] SectionKeys =
    [
        "server_cert", "server_key", "ca_file", "ca_path", "crl_file", "crl_path",
        "min_version", "ciphers", "client_cert", "client_key", "handshake_timeout",
    ];

    /// <summary>The word in <c>client_cert</c> that means "the ACME certificate".</summary>
    public const string AcmeClientCertificate = "acme";

    public static TlsSettings Bind(ConfigSection? section, string dataDirectory, ConfigurationInputs inputs, AcmeOptions? acme)
    {
        var defaults = new TlsSettings
        {
            GeneratedCertificateDirectory = ConfigPaths.Resolve(GeneratedDirectoryName, dataDirectory),
            AcmeCertificates = acme is null ? [] : AcmeLiveFiles(acme),
        };
        if (section is null)
        {
            return defaults;
        }
        var paths = new Paths(dataDirectory, inputs);

        var certificates = new List<CertificateFiles>();
        var server = ReadPair(section, "server_cert", "server_key", paths);
        if (server is not null)
        {
            certificates.Add(server);
        }
        certificates.AddRange(ReadCertificateEntries(section, paths));

        var minVersion = ReadMinVersion(section) ?? defaults.MinVersion;
        var settings = defaults with
        {
            ServerCertificates = certificates,
            CaFile = paths.File(section, "ca_file"),
            CaPath = paths.Directory(section, "ca_path"),
            CrlFile = paths.File(section, "crl_file"),
            CrlPath = paths.Directory(section, "crl_path"),
            MinVersion = minVersion,
            CipherSuites = ReadCiphers(section, minVersion),
            HandshakeTimeout = section.GetDuration("handshake_timeout", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)) ?? defaults.HandshakeTimeout,
        };
        settings = ReadClientCertificate(section, paths, settings, acme);
        section.ReportUnknownKeys();
        return settings;
    }

    /// <summary>The live files of the configured key types, ECDSA first (the default and the client certificate).</summary>
    private static List<CertificateFiles> AcmeLiveFiles(AcmeOptions acme)
    {
        var layout = new AcmeLayout(acme.Directory);
        return [.. new[] { AcmeKeyTypes.Ecdsa, AcmeKeyTypes.Rsa }
            .Where(type => acme.KeyTypes.HasFlag(type))
            .Select(type => new CertificateFiles(layout.LiveFile(type), null))];
    }

    /// <summary><c>client_cert</c>: a PEM file (with <c>client_key</c> or the key inside), or "acme" for the ACME certificate.</summary>
    private static TlsSettings ReadClientCertificate(ConfigSection section, Paths paths, TlsSettings settings, AcmeOptions? acme)
    {
        if (!section.TryGetValue("client_cert", out var value) || value is not AcmeClientCertificate)
        {
            return settings with { ClientCertificate = ReadPair(section, "client_cert", "client_key", paths) };
        }
        if (acme is null)
        {
            section.Error("client_cert", "is \"acme\" but [acme] is not configured: add an [acme] section, or name a PEM certificate file");
            return settings;
        }
        if (section.Contains("client_key"))
        {
            section.Error("client_key", "must be unset with client_cert = \"acme\": the ACME live file holds the key with the certificate");
            return settings;
        }
        return settings with { ClientCertificate = settings.AcmeCertificates[0], ClientCertificateFromAcme = true };
    }

    /// <summary>A certificate and its optional key; a key alone is an error (it would be ignored).</summary>
    private static CertificateFiles? ReadPair(ConfigSection section, string certificateKey, string keyKey, Paths paths)
    {
        var certificate = paths.File(section, certificateKey);
        var key = paths.File(section, keyKey);
        if (section.Contains(keyKey) && !section.Contains(certificateKey))
        {
            section.Error(keyKey, $"is set without {certificateKey}: a key is only used with its certificate; set {certificateKey}, or remove {keyKey}");
        }
        return certificate is null ? null : new CertificateFiles(certificate, key);
    }

    private static List<CertificateFiles> ReadCertificateEntries(ConfigSection section, Paths paths)
    {
        var result = new List<CertificateFiles>();
        foreach (var entry in section.GetTableArray(CertificateKey) ?? [])
        {
            var certificate = paths.File(entry, "cert");
            if (!entry.Contains("cert"))
            {
                entry.Error("cert", "is required (the PEM certificate chain)");
            }
            var key = paths.File(entry, "key");
            foreach (var misplaced in SectionKeys.Where(entry.Contains))
            {
                // TOML puts every key after a [[tls.certificate]] header into that entry.
                entry.Error(misplaced, $"belongs to [tls], not to a [[tls.certificate]] entry: move it above the first [[tls.certificate]]");
            }
            entry.ReportUnknownKeys();
            if (certificate is not null)
            {
                result.Add(new CertificateFiles(certificate, key));
            }
        }
        return result;
    }

    private static SslProtocols? ReadMinVersion(ConfigSection section)
    {
        const string Key = "min_version";
        if (!section.TryGetValue(Key, out var value))
        {
            return null;
        }
        switch (value)
        {
            case "1.2":
                return SslProtocols.Tls12;
            case "1.3":
                return SslProtocols.Tls13;
            case "1.0" or "1.1" or 1.0 or 1.1 or 1L:
                section.Error(Key, $"TLS 1.0 and 1.1 are never enabled; must be \"1.2\" or \"1.3\", got {ConfigValueText.Describe(value)}");
                return null;
            case 1.2 or 1.3:
                section.Error(Key, $"must be \"1.2\" or \"1.3\" as a quoted string, got {ConfigValueText.Describe(value)}");
                return null;
            default:
                section.Error(Key, $"must be \"1.2\" or \"1.3\", got {ConfigValueText.Describe(value)}");
                return null;
        }
    }

    private static List<TlsCipherSuite>? ReadCiphers(ConfigSection section, SslProtocols minVersion)
    {
        const string Key = "ciphers";
        var names = section.GetStringArray(Key);
        if (names is null)
        {
            return null;
        }
        if (names.Count == 0)
        {
            section.Error(Key, "must list at least one cipher suite; leave ciphers out for Postern's default list");
            return null;
        }
        var valid = true;
        var suites = new List<TlsCipherSuite>();
        foreach (var name in names)
        {
            if (!TlsCipherPolicy.TryParse(name, out var suite))
            {
                section.Error(Key, UnknownCipherMessage(name));
                valid = false;
                continue;
            }
            var weaknesses = TlsCipherPolicy.Weaknesses(name);
            if (weaknesses.Count > 0)
            {
                section.Error(Key, $"{ConfigValueText.Quote(name)} is weak: {string.Join("; ", weaknesses)}");
                valid = false;
            }
            else if (suites.Contains(suite))
            {
                section.Error(Key, $"lists {ConfigValueText.Quote(name)} twice");
                valid = false;
            }
            else
            {
                suites.Add(suite);
            }
        }
        if (valid && minVersion == SslProtocols.Tls13 && !names.Any(TlsCipherPolicy.IsTls13))
        {
            section.Error(Key, "lists no TLS 1.3 suite (TLS_AES_*, TLS_CHACHA20_*) but min_version is \"1.3\": no handshake could succeed");
            valid = false;
        }
        return valid ? suites : null;
    }

    private static string UnknownCipherMessage(string name)
    {
        var message = $"unknown cipher suite {ConfigValueText.Quote(name)}";
        var guess = TlsCipherPolicy.Suggest(name);
        if (guess is not null)
        {
            return $"{message} (did you mean \"{guess}\"?)";
        }
        return name.Contains('-', StringComparison.Ordinal)
            ? $"{message}: use IANA names (TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384), not OpenSSL names (ECDHE-RSA-AES256-GCM-SHA384)"
            : $"{message}: use IANA names such as TLS_AES_256_GCM_SHA384 or TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
    }

    /// <summary>Path keys resolved against the data directory and checked for existence.</summary>
    private sealed class Paths(string dataDirectory, ConfigurationInputs inputs)
    {
        public string? File(ConfigSection section, string key) => Existing(section, key, inputs.FileExists, "file");

        public string? Directory(ConfigSection section, string key) => Existing(section, key, inputs.DirectoryExists, "directory");

        private string? Existing(ConfigSection section, string key, Func<string, bool> exists, string kind)
        {
            var path = ConfigPaths.Read(section, key, dataDirectory);
            if (path is null)
            {
                return null;
            }
            if (inputs.CheckDaemonFiles && !exists(path))
            {
                section.Error(key, MissingPath.Describe(path, kind));
                return null;
            }
            return path;
        }
    }
}
