using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Postern.Pki.Certificates;

/// <summary>
/// Writes distinguished names as sendmail shows them ({cert_subject}, {cert_issuer}) and as RFC 4514
/// strings. Both work on the raw DER: <see cref="X500DistinguishedName.Name"/> reorders and escapes
/// differently from either.
/// </summary>
/// <remarks>Every method throws <see cref="CryptographicException"/> when the name is not valid ASN.1.</remarks>
public static class DistinguishedNameFormatter
{
    /// <summary>
    /// OpenSSL's <c>X509_NAME_oneline</c> form, which sendmail puts in {cert_subject} and
    /// {cert_issuer} and which <c>openssl x509 -noout -subject -nameopt compat</c> prints:
    /// <c>/C=US/O=Foo Enterprises/CN=Jason Heiss</c>.
    /// </summary>
    /// <remarks>
    /// The rules of OpenSSL 3's X509_NAME_oneline, byte for byte:
    /// attributes in encoding order, each <c>/SHORTNAME=value</c>, with <c>+</c> instead of <c>/</c>
    /// before the second and later attributes of a multi-valued RDN; unknown types as the dotted OID.
    /// The value is the attribute's raw content octets, not decoded: a UTF8String's UTF-8 bytes, a
    /// BMPString's two bytes per character. Each octet below 0x20 or above 0x7E becomes <c>\xHH</c>
    /// (uppercase hex); <c>/</c> and <c>+</c> get a backslash (<c>\/</c>, <c>\+</c>); every other
    /// octet, space and <c>&lt;&gt;()"</c> included, is copied raw — sendmail's xtext-like <c>+HH</c>
    /// encoding for the access map is a separate, later step. A GeneralString whose length is a
    /// multiple of four and whose non-zero octets all sit at offsets 3, 7, 11... prints only those
    /// octets (OpenSSL's UCS-4 heuristic).
    /// </remarks>
    public static string ToSendmail(X500DistinguishedName name)
    {
        var attributes = DistinguishedNameParser.Parse(name);
        var text = new StringBuilder();
        var previousRdn = -1;
        foreach (var attribute in attributes)
        {
            text.Append(attribute.RdnIndex == previousRdn ? '+' : '/')
                .Append(AttributeTypeNames.OpenSslShortName(attribute.Oid))
                .Append('=');
            AppendOneline(text, attribute);
            previousRdn = attribute.RdnIndex;
        }

        return text.ToString();
    }

    /// <summary>
    /// The RFC 4514 string: RDNs last to first, separated by <c>,</c>; attributes of a multi-valued
    /// RDN joined by <c>+</c>; types by their RFC 4514 names (CN, L, ST, O, OU, C, STREET, DC, UID),
    /// others as the dotted OID with the value as <c>#</c> and the hex of its DER encoding.
    /// </summary>
    public static string ToRfc4514(X500DistinguishedName name)
    {
        var attributes = DistinguishedNameParser.Parse(name);
        var text = new StringBuilder();
        foreach (var rdn in attributes.GroupBy(a => a.RdnIndex).Reverse())
        {
            var first = true;
            foreach (var attribute in rdn)
            {
                text.Append(first ? (text.Length == 0 ? "" : ",") : "+");
                first = false;
                AppendRfc4514(text, attribute);
            }
        }

        return text.ToString();
    }

    /// <summary>The value of the last (most specific) CN attribute, or null when there is none.</summary>
    public static string? CommonName(X500DistinguishedName name) =>
        DistinguishedNameParser.Parse(name)
            .Where(a => a.Oid == AttributeTypeNames.CommonNameOid)
            .Select(NameValueText.Decode)
            .LastOrDefault(v => v is not null);

    private static void AppendOneline(StringBuilder text, NameAttribute attribute)
    {
        var value = attribute.Content.Span;
        var keep = UcsFourHeuristic(attribute, value);
        for (var i = 0; i < value.Length; i++)
        {
            if (keep && (i & 3) != 3)
            {
                continue;
            }

            var b = value[i];
            if (b is < 0x20 or > 0x7E)
            {
                text.Append(@"\x").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                if (b is (byte)'/' or (byte)'+')
                {
                    text.Append('\\');
                }

                text.Append((char)b);
            }
        }
    }

    // OpenSSL treats a GeneralString of 4n octets that is zero except at every fourth octet as
    // UCS-4 and prints only those octets.
    private static bool UcsFourHeuristic(NameAttribute attribute, ReadOnlySpan<byte> value)
    {
        if (attribute.Tag != new Asn1Tag(UniversalTagNumber.GeneralString) || value.Length % 4 != 0)
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            if ((i & 3) != 3 && value[i] != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static void AppendRfc4514(StringBuilder text, NameAttribute attribute)
    {
        var typeName = AttributeTypeNames.Rfc4514Name(attribute.Oid);
        var value = typeName is null ? null : NameValueText.Decode(attribute);
        text.Append(typeName ?? attribute.Oid).Append('=');
        if (value is null)
        {
            text.Append('#').Append(Convert.ToHexString(attribute.Encoded.Span));
            return;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                text.Append(@"\00");
            }
            else if (c is ',' or '+' or '"' or '\\' or '<' or '>' or ';'
                     || (i == 0 && c is '#' or ' ')
                     || (i == value.Length - 1 && c == ' '))
            {
                text.Append('\\').Append(c);
            }
            else
            {
                text.Append(c);
            }
        }
    }
}
