using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Pki.Certificates;

/// <summary>The parts of an RFC 5280 CertificateList that revocation checking needs.</summary>
internal sealed class ParsedCrl
{
    private ParsedCrl(ReadOnlyMemory<byte> signedPart, string signatureAlgorithm, byte[] signature, X500DistinguishedName issuer, DateTimeOffset? nextUpdate, HashSet<string> serials)
    {
        SignedPart = signedPart;
        SignatureAlgorithm = signatureAlgorithm;
        Signature = signature;
        Issuer = issuer;
        NextUpdate = nextUpdate;
        Serials = serials;
    }

    public ReadOnlyMemory<byte> SignedPart { get; }

    public string SignatureAlgorithm { get; }

    public byte[] Signature { get; }

    public X500DistinguishedName Issuer { get; }

    public DateTimeOffset? NextUpdate { get; }

    public IReadOnlySet<string> Serials { get; }

    /// <exception cref="AsnContentException">Not a CertificateList.</exception>
    public static ParsedCrl Parse(ReadOnlyMemory<byte> der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var certificateList = outer.ReadSequence();
        outer.ThrowIfNotEmpty();

        var signedPart = certificateList.ReadEncodedValue();
        var algorithm = ReadAlgorithm(certificateList);
        var signature = certificateList.ReadBitString(out var unused);
        if (unused != 0)
        {
            throw new AsnContentException("signature BIT STRING has unused bits");
        }

        certificateList.ThrowIfNotEmpty();

        var tbs = new AsnReader(signedPart, AsnEncodingRules.DER).ReadSequence();
        if (tbs.PeekTag() == Asn1Tag.Integer)
        {
            tbs.ReadInteger(); // version v2
        }

        var innerAlgorithm = ReadAlgorithm(tbs);
        if (innerAlgorithm != algorithm)
        {
            throw new AsnContentException("the signature algorithms inside and outside the signed part differ");
        }

        var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span);
        ReadTime(tbs); // thisUpdate
        DateTimeOffset? nextUpdate = IsTime(tbs) ? ReadTime(tbs) : null;

        var serials = new HashSet<string>(StringComparer.Ordinal);
        if (tbs.HasData && tbs.PeekTag() == Asn1Tag.Sequence)
        {
            var revoked = tbs.ReadSequence();
            while (revoked.HasData)
            {
                var entry = revoked.ReadSequence();
                serials.Add(Convert.ToHexString(entry.ReadIntegerBytes().Span));
            }
        }

        return new ParsedCrl(signedPart, algorithm, signature, issuer, nextUpdate, serials);
    }

    public bool VerifySignature(X509Certificate2 issuer)
    {
        var (hash, isEcdsa) = SignatureAlgorithm switch
        {
            "1.2.840.113549.1.1.11" => (HashAlgorithmName.SHA256, false),
            "1.2.840.113549.1.1.12" => (HashAlgorithmName.SHA384, false),
            "1.2.840.113549.1.1.13" => (HashAlgorithmName.SHA512, false),
            "1.2.840.10045.4.3.2" => (HashAlgorithmName.SHA256, true),
            "1.2.840.10045.4.3.3" => (HashAlgorithmName.SHA384, true),
            "1.2.840.10045.4.3.4" => (HashAlgorithmName.SHA512, true),
            _ => (default(HashAlgorithmName), false),
        };
        if (hash == default)
        {
            return false;
        }

        try
        {
            if (isEcdsa)
            {
                using var ecdsa = issuer.GetECDsaPublicKey();
                return ecdsa is not null
                    && ecdsa.VerifyData(SignedPart.Span, Signature, hash, DSASignatureFormat.Rfc3279DerSequence);
            }

            using var rsa = issuer.GetRSAPublicKey();
            return rsa is not null && rsa.VerifyData(SignedPart.Span, Signature, hash, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static string ReadAlgorithm(AsnReader reader)
    {
        var algorithm = reader.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        if (algorithm.HasData)
        {
            algorithm.ReadEncodedValue(); // parameters (NULL for RSA)
        }

        algorithm.ThrowIfNotEmpty();
        return oid;
    }

    private static bool IsTime(AsnReader reader) =>
        reader.HasData && (reader.PeekTag() == Asn1Tag.UtcTime || reader.PeekTag() == Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag() == Asn1Tag.UtcTime ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
}
