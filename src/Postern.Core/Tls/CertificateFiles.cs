namespace Postern.Core.Tls;

/// <summary>A PEM certificate chain and its private key; <see cref="KeyFile"/> null = the key is in the same file.</summary>
public sealed record CertificateFiles(string CertificateFile, string? KeyFile);
