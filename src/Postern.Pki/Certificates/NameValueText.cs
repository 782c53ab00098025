using System.Formats.Asn1;
using System.Text;

namespace Postern.Pki.Certificates;

/// <summary>Decodes a DN attribute's string value to text.</summary>
internal static class NameValueText
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private static readonly Encoding Utf32BigEndian = new UTF32Encoding(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: false);

    /// <summary>The value as text, or null when it is not one of the directory string types.</summary>
    public static string? Decode(NameAttribute attribute)
    {
        if (attribute.Tag.TagClass != TagClass.Universal || attribute.Tag.IsConstructed)
        {
            return null;
        }

        var content = attribute.Content.Span;
        return (UniversalTagNumber)attribute.Tag.TagValue switch
        {
            UniversalTagNumber.UTF8String => Utf8.GetString(content),
            // T61String is in practice Latin-1 (that is what OpenSSL assumes when converting it).
            UniversalTagNumber.PrintableString or UniversalTagNumber.IA5String or UniversalTagNumber.NumericString
                or UniversalTagNumber.VisibleString or UniversalTagNumber.T61String => Encoding.Latin1.GetString(content),
            UniversalTagNumber.BMPString => Encoding.BigEndianUnicode.GetString(content),
            UniversalTagNumber.UniversalString => Utf32BigEndian.GetString(content),
            _ => null,
        };
    }
}
