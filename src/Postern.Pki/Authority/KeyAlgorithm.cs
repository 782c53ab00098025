namespace Postern.Pki.Authority;

/// <summary>The key types Postern issues: ECDSA P-256 (the default: small, fast) or RSA 3072 (for old clients).</summary>
public enum KeyAlgorithm
{
    EcdsaP256,
    Rsa3072,
}
