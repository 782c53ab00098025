using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Pki.Authority;

/// <summary>Generates, exports and reloads the private keys of issued certificates, and signs with them.</summary>
public static class PrivateKeys
{
    public static AsymmetricAlgorithm Generate(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyAlgorithm.Rsa3072 => RSA.Create(3072),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Unencrypted PKCS#8 PEM, what Postern and sendmail read (the file itself is 0600).</summary>
    public static string ExportPem(AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportPkcs8PrivateKeyPem() + "\n";
    }

    /// <summary>Loads an unencrypted key of <paramref name="algorithm"/>'s type (PKCS#8 or the traditional RSA/EC forms).</summary>
    /// <exception cref="CaException">The file is unreadable or holds no key of that type.</exception>
    public static AsymmetricAlgorithm Load(string path, KeyAlgorithm algorithm)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaException(CaErrorKind.NotFound, $"{path}: cannot read the private key: {e.Message}", e);
        }

        AsymmetricAlgorithm key = algorithm == KeyAlgorithm.Rsa3072 ? RSA.Create() : ECDsa.Create();
        try
        {
            key.ImportFromPem(text);
            return key;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new CaException(CaErrorKind.BadData, $"{path}: not an unencrypted {KeyAlgorithmNames.Name(algorithm)} private key: {e.Message}", e);
        }
    }

    /// <summary>The algorithm of a key Postern generated or loaded.</summary>
    public static KeyAlgorithm AlgorithmOf(AsymmetricAlgorithm key) => key switch
    {
        RSA => KeyAlgorithm.Rsa3072,
        ECDsa => KeyAlgorithm.EcdsaP256,
        _ => throw new ArgumentException("only RSA and ECDSA keys are supported", nameof(key)),
    };

    /// <summary>A request for <paramref name="subject"/> with the key's public half, hashed with SHA-256.</summary>
    public static CertificateRequest Request(X500DistinguishedName subject, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256),
        _ => throw new ArgumentException("only RSA and ECDSA keys are supported", nameof(key)),
    };

    /// <summary>The signature generator for a CA key, whatever type the certificate it signs has.</summary>
    public static X509SignatureGenerator Signer(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
        _ => throw new ArgumentException("only RSA and ECDSA keys are supported", nameof(key)),
    };

    /// <summary>The certificate with the private key attached (for PKCS#12 export).</summary>
    public static X509Certificate2 Attach(X509Certificate2 certificate, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => certificate.CopyWithPrivateKey(rsa),
        ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
        _ => throw new ArgumentException("only RSA and ECDSA keys are supported", nameof(key)),
    };
}
