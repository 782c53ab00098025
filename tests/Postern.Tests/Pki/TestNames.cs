using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Tests.Pki;

/// <summary>Builds names with exact control over RDN grouping and string types, which X500DistinguishedName parsing does not give.</summary>
internal static class TestNames
{
    public const string CommonName = "2.5.4.3";
    public const string Organization = "2.5.4.10";
    public const string OrganizationalUnit = "2.5.4.11";
    public const string Country = "2.5.4.6";
    public const string Locality = "2.5.4.7";
    public const string State = "2.5.4.8";
    public const string Email = "1.2.840.113549.1.9.1";
    public const string Uid = "0.9.2342.19200300.100.1.1";
    public const string DomainComponent = "0.9.2342.19200300.100.1.25";

    /// <summary>One single-valued RDN per attribute, UTF8String values (PrintableString for C, IA5String for email and DC).</summary>
    public static X500DistinguishedName Simple(params (string Oid, string Value)[] attributes) =>
        Build([.. attributes.Select(a => new[] { Attribute(a.Oid, a.Value) })]);

    public static (string Oid, string Value, UniversalTagNumber Tag) Attribute(string oid, string value) =>
        (oid, value, oid switch
        {
            Country => UniversalTagNumber.PrintableString,
            Email or DomainComponent => UniversalTagNumber.IA5String,
            _ => UniversalTagNumber.UTF8String,
        });

    /// <summary>RDNs in encoding order; each inner array is one (possibly multi-valued) RDN.</summary>
    public static X500DistinguishedName Build(params (string Oid, string Value, UniversalTagNumber Tag)[][] rdns)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var rdn in rdns)
            {
                using (writer.PushSetOf())
                {
                    foreach (var (oid, value, tag) in rdn)
                    {
                        using (writer.PushSequence())
                        {
                            writer.WriteObjectIdentifier(oid);
                            writer.WriteCharacterString(tag, value);
                        }
                    }
                }
            }
        }

        return new X500DistinguishedName(writer.Encode());
    }

    /// <summary>A name with one attribute whose value is given as raw DER.</summary>
    public static X500DistinguishedName WithRawValue(string oid, byte[] encodedValue)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSetOf())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            writer.WriteEncodedValue(encodedValue);
        }

        return new X500DistinguishedName(writer.Encode());
    }
}
