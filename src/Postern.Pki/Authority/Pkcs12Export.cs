using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Pki.Authority;

/// <summary>
/// The PKCS#12 bundle mail clients import (seed 001's <c>openssl pkcs12 -export -name ...</c>):
/// the certificate and its key under a friendly name, and the CA certificate. Modern encryption:
/// AES-256-CBC with PBKDF2-HMAC-SHA256 for the key and the certificates, an HMAC-SHA256 MAC, as
/// OpenSSL 3 writes by default; no RC2 or 3DES.
/// </summary>
public static class Pkcs12Export
{
    /// <summary>PBKDF2 rounds; each of the three password derivations (key, certificates, MAC) uses this many.</summary>
    public const int Iterations = 100_000;

    private const string FriendlyNameOid = "1.2.840.113549.1.9.20";

    public static byte[] Export(X509Certificate2 certificate, AsymmetricAlgorithm key, IEnumerable<X509Certificate2> chain, string friendlyName, ReadOnlySpan<char> password)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentException.ThrowIfNullOrEmpty(friendlyName);
        var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Iterations);
        // Ties the key to its certificate; any octets do, these are stable for the certificate.
        var localKeyId = new Pkcs9LocalKeyId(SHA256.HashData(certificate.RawData).AsSpan(0, 20));
        var name = FriendlyName(friendlyName);

        var certificates = new Pkcs12SafeContents();
        var leafBag = certificates.AddCertificate(certificate);
        leafBag.Attributes.Add(localKeyId);
        leafBag.Attributes.Add(name);
        foreach (var other in chain)
        {
            certificates.AddCertificate(other);
        }

        var keys = new Pkcs12SafeContents();
        var keyBag = keys.AddShroudedKey(key, password, pbe);
        keyBag.Attributes.Add(localKeyId);
        keyBag.Attributes.Add(name);

        var builder = new Pkcs12Builder();
        builder.AddSafeContentsEncrypted(certificates, password, pbe);
        builder.AddSafeContentsUnencrypted(keys); // the key bag is itself encrypted (shrouded)
        builder.SealWithMac(password, HashAlgorithmName.SHA256, Iterations);
        return builder.Encode();
    }

    private static AsnEncodedData FriendlyName(string friendlyName)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteCharacterString(UniversalTagNumber.BMPString, friendlyName);
        return new AsnEncodedData(FriendlyNameOid, writer.Encode());
    }
}
