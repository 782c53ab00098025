using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Postern.Pki.Certificates;

/// <summary>The dNSName and rfc822Name entries of a certificate's subjectAltName extension.</summary>
internal sealed record SubjectAltNames(IReadOnlyList<string> DnsNames, IReadOnlyList<string> EmailAddresses)
{
    private const string ExtensionOid = "2.5.29.17";
    private static readonly Asn1Tag Rfc822NameTag = new(TagClass.ContextSpecific, 1);
    private static readonly Asn1Tag DnsNameTag = new(TagClass.ContextSpecific, 2);

    public static SubjectAltNames Empty { get; } = new([], []);

    public bool HasDnsNames => DnsNames.Count > 0;

    /// <summary>Reads the extension; a missing or malformed one yields no names (a peer's certificate must never make this throw).</summary>
    public static SubjectAltNames Read(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extension = certificate.Extensions[ExtensionOid];
        return extension is null ? Empty : Parse(extension.RawData);
    }

    public static SubjectAltNames Parse(ReadOnlyMemory<byte> extensionValue)
    {
        var dnsNames = new List<string>();
        var emails = new List<string>();
        try
        {
            var reader = new AsnReader(extensionValue, AsnEncodingRules.DER);
            var names = reader.ReadSequence();
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (tag == DnsNameTag)
                {
                    dnsNames.Add(ReadIa5(names, DnsNameTag));
                }
                else if (tag == Rfc822NameTag)
                {
                    emails.Add(ReadIa5(names, Rfc822NameTag));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            return Empty;
        }

        return new SubjectAltNames(dnsNames, emails);
    }

    // IA5String by definition, but read as Latin-1 so a non-ASCII octet shows up instead of failing the whole extension.
    private static string ReadIa5(AsnReader reader, Asn1Tag tag) =>
        Encoding.Latin1.GetString(reader.ReadOctetString(tag));
}
