using System.Formats.Asn1;

namespace Postern.Pki.Certificates;

/// <summary>One AttributeTypeAndValue of a distinguished name, as encoded.</summary>
/// <param name="Oid">The attribute type, dotted.</param>
/// <param name="Tag">The value's tag (UTF8String, PrintableString, ...).</param>
/// <param name="Content">The value's content octets for a primitive universal value; the whole encoding otherwise.</param>
/// <param name="Encoded">The whole DER encoding of the value (for RFC 4514 <c>#hex</c>).</param>
/// <param name="RdnIndex">Which RDN it belongs to, in encoding order; equal indexes form a multi-valued RDN.</param>
internal sealed record NameAttribute(string Oid, Asn1Tag Tag, ReadOnlyMemory<byte> Content, ReadOnlyMemory<byte> Encoded, int RdnIndex);
