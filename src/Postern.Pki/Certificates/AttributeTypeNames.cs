using System.Collections.Frozen;

namespace Postern.Pki.Certificates;

/// <summary>Names of DN attribute types in OpenSSL's (obj_mac.h short names) and RFC 4514's vocabularies.</summary>
internal static class AttributeTypeNames
{
    public const string CommonNameOid = "2.5.4.3";

    // OpenSSL's OBJ_nid2sn for the attribute types seen in certificate names; X509_NAME_oneline
    // falls back to the dotted OID (i2t_ASN1_OBJECT) for anything it has no name for.
    private static readonly FrozenDictionary<string, string> OpenSsl = new Dictionary<string, string>
    {
        ["2.5.4.6"] = "C",
        ["2.5.4.8"] = "ST",
        ["2.5.4.7"] = "L",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        [CommonNameOid] = "CN",
        ["1.2.840.113549.1.9.1"] = "emailAddress",
        ["2.5.4.5"] = "serialNumber",
        ["2.5.4.4"] = "SN",
        ["2.5.4.42"] = "GN",
        ["2.5.4.12"] = "title",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["0.9.2342.19200300.100.1.1"] = "UID",
        ["2.5.4.9"] = "street",
        ["2.5.4.17"] = "postalCode",
        ["2.5.4.18"] = "postOfficeBox",
        ["2.5.4.16"] = "postalAddress",
        ["2.5.4.41"] = "name",
        ["2.5.4.43"] = "initials",
        ["2.5.4.44"] = "generationQualifier",
        ["2.5.4.65"] = "pseudonym",
        ["2.5.4.13"] = "description",
        ["2.5.4.15"] = "businessCategory",
        ["2.5.4.46"] = "dnQualifier",
        ["2.5.4.45"] = "x500UniqueIdentifier",
        ["2.5.4.97"] = "organizationIdentifier",
        ["1.2.840.113549.1.9.2"] = "unstructuredName",
        ["1.3.6.1.4.1.311.60.2.1.1"] = "jurisdictionL",
        ["1.3.6.1.4.1.311.60.2.1.2"] = "jurisdictionST",
        ["1.3.6.1.4.1.311.60.2.1.3"] = "jurisdictionC",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // RFC 4514 section 3: the only names an RFC 4514 string may use; everything else is the dotted OID.
    private static readonly FrozenDictionary<string, string> Rfc4514 = new Dictionary<string, string>
    {
        [CommonNameOid] = "CN",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["2.5.4.6"] = "C",
        ["2.5.4.9"] = "STREET",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["0.9.2342.19200300.100.1.1"] = "UID",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static string OpenSslShortName(string oid) => OpenSsl.GetValueOrDefault(oid, oid);

    /// <summary>The RFC 4514 short name, or null when the type must be written as a dotted OID.</summary>
    public static string? Rfc4514Name(string oid) => Rfc4514.GetValueOrDefault(oid);
}
