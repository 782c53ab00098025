using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace Postern.Filters.Dkim;

/// <summary>
/// ed25519-sha256 (RFC 8463): PureEdDSA over the SHA-256 hash of the header data; p= is the bare
/// 32-byte public key. BouncyCastle does the curve (.NET has no Ed25519).
/// </summary>
internal sealed class Ed25519DkimKey : DkimPrivateKey
{
    /// <summary>id-Ed25519 (RFC 8410).</summary>
    public const string Oid = "1.3.101.112";

    /// <summary>SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32 bytes) } }.</summary>
    private static readonly byte[] Pkcs8Prefix = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

    private readonly Ed25519PrivateKeyParameters _key;

    private Ed25519DkimKey(Ed25519PrivateKeyParameters key) => _key = key;

    public override DkimAlgorithm Algorithm => DkimAlgorithm.Ed25519;

    public override int Bits => 256;

    public override string PublicKeyBase64 => Convert.ToBase64String(_key.GeneratePublicKey().GetEncoded());

    public static Ed25519DkimKey Generate()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        return new Ed25519DkimKey((Ed25519PrivateKeyParameters)generator.GenerateKeyPair().Private);
    }

    public static Ed25519DkimKey FromPkcs8(byte[] der)
    {
        try
        {
            return new Ed25519DkimKey((Ed25519PrivateKeyParameters)PrivateKeyFactory.CreateKey(der));
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or IOException or InvalidOperationException)
        {
            throw new DkimKeyException("the Ed25519 key cannot be read: " + e.Message, e);
        }
    }

    public override byte[] Sign(byte[] data)
    {
        // Signers hold state, the key does not: one signer per signature.
        var signer = new Ed25519Signer();
        signer.Init(true, _key);
        var hash = SHA256.HashData(data);
        signer.BlockUpdate(hash, 0, hash.Length);
        return signer.GenerateSignature();
    }

    /// <summary>
    /// RFC 8410's PKCS#8 form, version 0 with the 32-byte seed only, which OpenSSL (and so
    /// OpenDKIM) reads; BouncyCastle would write version 1 with the public key, which OpenSSL 3 refuses.
    /// </summary>
    public override string ToPem() => PemEncoding.WriteString("PRIVATE KEY", [.. Pkcs8Prefix, .. _key.GetEncoded()]) + "\n";
}
