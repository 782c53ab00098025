namespace Postern.Pki.Acme;

/// <summary>The certificate keys ACME obtains (<c>acme.key_type</c>); one certificate per key type, same names.</summary>
[Flags]
public enum AcmeKeyTypes
{
    /// <summary>ECDSA P-256 (the default): small, fast handshakes; every current client accepts it.</summary>
    Ecdsa = 1,

    /// <summary>RSA 2048, for old clients that offer no ECDSA signature algorithm.</summary>
    Rsa = 2,
}
