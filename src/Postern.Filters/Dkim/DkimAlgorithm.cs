namespace Postern.Filters.Dkim;

/// <summary>The signing algorithms: rsa-sha256 (RFC 6376) and ed25519-sha256 (RFC 8463).</summary>
public enum DkimAlgorithm
{
    Rsa,
    Ed25519,
}
