using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Postern.Protocol.Commands;

/// <summary>
/// RFC 3461 xtext: printable ASCII except <c>+</c> and <c>=</c> as is, any other octet as
/// <c>+XX</c>. Decoding also takes lower-case hex and raw non-ASCII characters (RFC 6533
/// utf-8-xtext sent by SMTPUTF8 clients); the decoded octets must be valid UTF-8.
/// </summary>
public static class XtextCodec
{
    public static bool TryDecode(ReadOnlySpan<char> xtext, [NotNullWhen(true)] out string? decoded)
    {
        decoded = null;
        var bytes = new ArrayBufferWriter<byte>(Math.Max(1, xtext.Length));
        var i = 0;
        while (i < xtext.Length)
        {
            var c = xtext[i];
            if (c == '+')
            {
                if (i + 2 >= xtext.Length)
                {
                    return false;
                }
                if (!char.IsAsciiHexDigit(xtext[i + 1]) || !char.IsAsciiHexDigit(xtext[i + 2]))
                {
                    return false;
                }
                var value = byte.Parse(xtext.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                bytes.GetSpan(1)[0] = value;
                bytes.Advance(1);
                i += 3;
            }
            else if (c is > ' ' and <= '~' and not '=')
            {
                bytes.GetSpan(1)[0] = (byte)c;
                bytes.Advance(1);
                i++;
            }
            else if (c >= 0x80 && Rune.DecodeFromUtf16(xtext[i..], out var rune, out var used) == OperationStatus.Done)
            {
                bytes.Advance(rune.EncodeToUtf8(bytes.GetSpan(4)));
                i += used;
            }
            else
            {
                return false;
            }
        }
        if (!Utf8.IsValid(bytes.WrittenSpan))
        {
            return false;
        }
        decoded = Encoding.UTF8.GetString(bytes.WrittenSpan);
        return true;
    }

    public static string Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is > (byte)' ' and <= (byte)'~' and not (byte)'+' and not (byte)'=')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('+').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }
}
