using Postern.Core.Tls;

namespace Postern.Pki.Tls;

/// <summary>The generated server certificate files, and whether this call created them (the caller logs where they are).</summary>
public sealed record GeneratedCertificate(CertificateFiles Files, string CaCertificateFile, bool Created);
