using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Pki.Certificates;

/// <summary>
/// Splits a Name's DER into its attributes, in encoding order, without the reordering and
/// re-escaping that <see cref="X500DistinguishedName.Name"/> does.
/// </summary>
internal static class DistinguishedNameParser
{
    /// <exception cref="CryptographicException">The name is not valid DER.</exception>
    public static IReadOnlyList<NameAttribute> Parse(X500DistinguishedName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Parse(name.RawData);
    }

    /// <exception cref="CryptographicException">The name is not valid DER.</exception>
    public static IReadOnlyList<NameAttribute> Parse(ReadOnlyMemory<byte> der)
    {
        try
        {
            var attributes = new List<NameAttribute>();
            // BER rather than DER: a peer's name with a non-canonical SET order must still print.
            var reader = new AsnReader(der, AsnEncodingRules.BER);
            var sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var rdnIndex = 0;
            while (sequence.HasData)
            {
                var set = sequence.ReadSetOf(skipSortOrderValidation: true);
                while (set.HasData)
                {
                    var atv = set.ReadSequence();
                    var oid = atv.ReadObjectIdentifier();
                    var tag = atv.PeekTag();
                    var encoded = atv.ReadEncodedValue();
                    atv.ThrowIfNotEmpty();
                    attributes.Add(new NameAttribute(oid, tag, ContentOf(tag, encoded), encoded, rdnIndex));
                }

                rdnIndex++;
            }

            return attributes;
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The distinguished name is not valid ASN.1.", e);
        }
    }

    private static ReadOnlyMemory<byte> ContentOf(Asn1Tag tag, ReadOnlyMemory<byte> encoded)
    {
        if (tag.IsConstructed || tag.TagClass != TagClass.Universal)
        {
            return encoded;
        }

        return AsnDecoder.TryReadEncodedValue(encoded.Span, AsnEncodingRules.BER, out _, out var offset, out var length, out _)
            ? encoded.Slice(offset, length)
            : encoded;
    }
}
