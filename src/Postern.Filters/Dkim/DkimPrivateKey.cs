using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Pkcs;

namespace Postern.Filters.Dkim;

/// <summary>
/// A DKIM signing key: signs the canonicalized header data and tells the p= value of the DNS
/// record that verifies it. Read from PEM: PKCS#8 (<c>PRIVATE KEY</c>, RSA or Ed25519, as
/// <c>postern dkim keygen</c>, <c>openssl genpkey</c> and current opendkim-genkey write it) or
/// PKCS#1 (<c>RSA PRIVATE KEY</c>, older opendkim-genkey).
/// </summary>
public abstract class DkimPrivateKey : IDisposable
{
    /// <summary>RFC 8301: verifiers refuse RSA keys under 1024 bits.</summary>
    public const int MinimumRsaBits = 1024;

    /// <summary>Large enough for any key anyone publishes; bounds key generation and reading.</summary>
    public const int MaximumRsaBits = 8192;

    public abstract DkimAlgorithm Algorithm { get; }

    /// <summary>The key size in bits (256 for Ed25519).</summary>
    public abstract int Bits { get; }

    /// <summary>The p= value of the DNS record, base64.</summary>
    public abstract string PublicKeyBase64 { get; }

    /// <summary>The b= signature over <paramref name="data"/> (the canonicalized header fields and the DKIM-Signature field).</summary>
    public abstract byte[] Sign(byte[] data);

    /// <summary>The key as PKCS#8 PEM.</summary>
    public abstract string ToPem();

    /// <summary>A new key: RSA of <paramref name="bits"/> bits, or Ed25519 (the size is ignored).</summary>
    public static DkimPrivateKey Generate(DkimAlgorithm algorithm, int bits)
    {
        if (algorithm == DkimAlgorithm.Ed25519)
        {
            return Ed25519DkimKey.Generate();
        }
        if (bits < MinimumRsaBits || bits > MaximumRsaBits)
        {
            throw new DkimKeyException($"an RSA key must have {MinimumRsaBits} to {MaximumRsaBits} bits, not {bits}");
        }
        return new RsaDkimKey(RSA.Create(bits));
    }

    /// <summary>Reads a PEM private key.</summary>
    /// <exception cref="DkimKeyException">No usable private key in <paramref name="pem"/>.</exception>
    public static DkimPrivateKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new DkimKeyException("not a PEM file (no -----BEGIN ... PRIVATE KEY----- block)");
        }
        var label = pem[fields.Label];
        byte[] der;
        try
        {
            der = Convert.FromBase64String(pem[fields.Base64Data]);
        }
        catch (FormatException)
        {
            throw new DkimKeyException("the PEM block is not valid base64");
        }
        return label switch
        {
            "PRIVATE KEY" => FromPkcs8(der),
            "RSA PRIVATE KEY" when pem.Contains("ENCRYPTED", StringComparison.Ordinal) =>
                throw new DkimKeyException("the key is encrypted; Postern needs it unencrypted (protect it with mode 0600)"),
            "RSA PRIVATE KEY" => Rsa(rsa => rsa.ImportRSAPrivateKey(der, out _)),
            "ENCRYPTED PRIVATE KEY" => throw new DkimKeyException("the key is encrypted; Postern needs it unencrypted (protect it with mode 0600)"),
            _ => throw new DkimKeyException($"holds a {label}, not a private key"),
        };
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    private static DkimPrivateKey FromPkcs8(byte[] der)
    {
        string algorithm;
        try
        {
            algorithm = PrivateKeyInfo.GetInstance(der).PrivateKeyAlgorithm.Algorithm.Id;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            throw new DkimKeyException("the PKCS#8 key cannot be parsed: " + e.Message, e);
        }
        return algorithm switch
        {
            "1.2.840.113549.1.1.1" => Rsa(rsa => rsa.ImportPkcs8PrivateKey(der, out _)),
            Ed25519DkimKey.Oid => Ed25519DkimKey.FromPkcs8(der),
            _ => throw new DkimKeyException($"holds a key of algorithm {algorithm}; DKIM signs with RSA or Ed25519"),
        };
    }

    private static RsaDkimKey Rsa(Action<RSA> import)
    {
        var rsa = RSA.Create();
        try
        {
            import(rsa);
        }
        catch (CryptographicException e)
        {
            rsa.Dispose();
            throw new DkimKeyException("the RSA key cannot be read: " + e.Message, e);
        }
        if (rsa.KeySize < MinimumRsaBits || rsa.KeySize > MaximumRsaBits)
        {
            var bits = rsa.KeySize;
            rsa.Dispose();
            throw new DkimKeyException($"the RSA key has {bits} bits; DKIM needs {MinimumRsaBits} to {MaximumRsaBits} (RFC 8301), 2048 recommended");
        }
        return new RsaDkimKey(rsa);
    }
}
