using System.Buffers.Text;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Pki.Acme.Protocol;

/// <summary>
/// The ARI certificate identifier (RFC 9773 4.1): base64url of the Authority Key Identifier's
/// keyIdentifier, ".", base64url of the serial number's DER content octets (leading zero kept).
/// Read straight from the DER, so it does not depend on what the platform's parser accepts
/// (RFC 9773's own example certificate has dates in the year 1).
/// </summary>
public static class AriCertificateId
{
    private const string AuthorityKeyIdentifierOid = "2.5.29.35";

    public static string From(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return FromDer(certificate.RawData);
    }

    /// <exception cref="AcmeException">Not a certificate, or one without an authority key identifier.</exception>
    public static string FromDer(ReadOnlyMemory<byte> der)
    {
        try
        {
            return Read(der);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            throw new AcmeException($"the certificate cannot be named for renewal information: {e.Message}", inner: e);
        }
    }

    private static string Read(ReadOnlyMemory<byte> der)
    {
        var certificate = new AsnReader(der, AsnEncodingRules.DER);
        var outer = certificate.ReadSequence();
        var tbs = outer.ReadSequence();
        var version = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (tbs.PeekTag().HasSameClassAndValue(version))
        {
            tbs.ReadEncodedValue();
        }
        var serial = tbs.ReadIntegerBytes().ToArray();
        tbs.ReadEncodedValue(); // signature
        tbs.ReadEncodedValue(); // issuer
        tbs.ReadEncodedValue(); // validity
        tbs.ReadEncodedValue(); // subject
        tbs.ReadEncodedValue(); // subjectPublicKeyInfo
        var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true);
        while (tbs.HasData)
        {
            var tag = tbs.PeekTag();
            if (!tag.HasSameClassAndValue(extensionsTag))
            {
                tbs.ReadEncodedValue(); // issuerUniqueID, subjectUniqueID
                continue;
            }
            var wrapper = tbs.ReadSequence(extensionsTag);
            var extensions = wrapper.ReadSequence();
            while (extensions.HasData)
            {
                var extension = extensions.ReadSequence();
                if (extension.ReadObjectIdentifier() != AuthorityKeyIdentifierOid)
                {
                    continue;
                }
                if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                {
                    extension.ReadBoolean();
                }
                var keyId = KeyIdentifier(extension.ReadOctetString());
                return Base64Url.EncodeToString(keyId) + "." + Base64Url.EncodeToString(serial);
            }
        }
        throw new AcmeException("the certificate has no authority key identifier, so the CA offers no renewal information for it");
    }

    // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, ... } (RFC 5280 4.2.1.1)
    private static byte[] KeyIdentifier(byte[] extensionValue)
    {
        var reader = new AsnReader(extensionValue, AsnEncodingRules.DER);
        var aki = reader.ReadSequence();
        var keyIdTag = new Asn1Tag(TagClass.ContextSpecific, 0);
        if (!aki.HasData || !aki.PeekTag().HasSameClassAndValue(keyIdTag))
        {
            throw new AcmeException("the certificate's authority key identifier has no keyIdentifier");
        }
        return aki.ReadOctetString(keyIdTag);
    }
}
