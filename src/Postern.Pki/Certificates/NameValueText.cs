using System.Formats.Asn1;
using System.Text;

namespace Postern.Pki.Certificates;

/// <summary>Decodes a DN attribute's string value to text.</summary>
internal static class NameValueText
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
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
            UniversalTagNumber.PrintableString or UniversalTagNumber.IA5String or UniversalTagNumber.NumericString
                or UniversalTagNumber.VisibleString => Encoding.Latin1.GetString(content),
            UniversalTagNumber.T61String => T61(content),
            UniversalTagNumber.BMPString => Encoding.BigEndianUnicode.GetString(content),
            UniversalTagNumber.UniversalString => Utf32BigEndian.GetString(content),
            _ => null,
        };
    }

    // T61String in the wild is either UTF-8 (what .NET and some CAs write) or Latin-1 (what OpenSSL assumes).
    private static string T61(ReadOnlySpan<byte> content)
    {
        try
        {
            return StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(content);
        }
    }
}
