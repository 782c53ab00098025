using System.Net.Security;
using System.Security.Authentication;

namespace Postern.Core.Tls;

/// <summary>The <c>[tls]</c> section: certificates, trust anchors, protocol floor and ciphers.</summary>
public sealed record TlsSettings
{
    /// <summary>Server certificates (PEM chain + key), first is the default; others chosen by SNI.</summary>
    public IReadOnlyList<CertificateFiles> ServerCertificates { get; init; } = [];

    /// <summary>When no server certificate is configured: where the generated one lives (data_dir/tls).</summary>
    public required string GeneratedCertificateDirectory { get; init; }

    /// <summary>PEM file of CA certificates trusted for client certificates (confCACERT).</summary>
    public string? CaFile { get; init; }

    /// <summary>Directory of PEM CA certificates trusted for client certificates (confCACERT_PATH).</summary>
    public string? CaPath { get; init; }

    /// <summary>PEM or DER CRL file for client certificates (confCRL).</summary>
    public string? CrlFile { get; init; }

    /// <summary>Directory of CRL files for client certificates.</summary>
    public string? CrlPath { get; init; }

    /// <summary>TLS 1.2 (default) or TLS 1.3; older protocols are never enabled.</summary>
    public SslProtocols MinVersion { get; init; } = SslProtocols.Tls12;

    /// <summary>Allowed cipher suites; null = Postern's default list of forward-secret AEAD suites.</summary>
    public IReadOnlyList<TlsCipherSuite>? CipherSuites { get; init; }

    /// <summary>Client certificate presented when relaying (confCLIENT_CERT/confCLIENT_KEY).</summary>
    public CertificateFiles? ClientCertificate { get; init; }

    /// <summary>
    /// The live files [acme] keeps (&lt;data_dir&gt;/acme/live/ecdsa.pem, rsa.pem: key and chain in one
    /// file). When <see cref="ServerCertificates"/> is empty they are the server certificates as soon
    /// as they exist (the generated one is served until then), and they are watched like any other.
    /// </summary>
    public IReadOnlyList<CertificateFiles> AcmeCertificates { get; init; } = [];

    /// <summary>
    /// tls.client_cert = "acme": <see cref="ClientCertificate"/> is the first ACME live file, and its
    /// absence (before the first issuance) means no client certificate, not an error.
    /// </summary>
    public bool ClientCertificateFromAcme { get; init; }

    /// <summary>How long a handshake may take before the connection is dropped.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
