using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Postern.Protocol.Proxy;

/// <summary>
/// The TLVs after a v2 header's address block: each a type byte, a 16-bit length and that many
/// bytes, none reaching past the header. Known types are checked (a CRC32C must match, strings are
/// UTF-8 without control characters, each type at most once); unknown ones are skipped.
/// </summary>
internal static class ProxyTlvParser
{
    private const byte Alpn = 0x01;
    private const byte Authority = 0x02;
    private const byte Crc32c = 0x03;
    private const byte UniqueId = 0x05;
    private const byte Ssl = 0x20;
    private const byte NetNs = 0x30;

    private const byte SslVersion = 0x21;
    private const byte SslCommonName = 0x22;
    private const byte SslCipher = 0x23;
    private const byte SslSignatureAlgorithm = 0x24;
    private const byte SslKeyAlgorithm = 0x25;

    /// <summary>PP2_TYPE_UNIQUE_ID is at most 128 bytes (proxy-protocol.txt 2.2.5).</summary>
    private const int MaxUniqueId = 128;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The TLVs of <paramref name="header"/> (the whole header) from <paramref name="start"/>; null with <paramref name="error"/> when they are malformed.</summary>
    public static ProxyTlvs? Parse(ReadOnlySpan<byte> header, int start, out string? error)
    {
        byte[]? alpn = null;
        string? authority = null;
        byte[]? uniqueId = null;
        ProxySslInfo? ssl = null;
        string? netns = null;
        var checksumVerified = false;
        var seen = new HashSet<byte>();
        var position = start;
        while (position < header.Length)
        {
            if (!TryNext(header, ref position, out var type, out var valueStart, out var length, out error))
            {
                return null;
            }
            var value = header.Slice(valueStart, length);
            if (type is Alpn or Authority or Crc32c or UniqueId or Ssl or NetNs && !seen.Add(type))
            {
                error = "TLV type 0x" + type.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + " twice";
                return null;
            }
            switch (type)
            {
                case Alpn:
                    alpn = value.ToArray();
                    break;
                case Authority:
                    authority = Text(value, "AUTHORITY", out error);
                    break;
                case Crc32c:
                    checksumVerified = ChecksumMatches(header, valueStart, value, out error);
                    break;
                case UniqueId:
                    uniqueId = value.Length <= MaxUniqueId ? value.ToArray() : null;
                    error = uniqueId is null ? "UNIQUE_ID TLV of " + value.Length + " bytes, more than " + MaxUniqueId : null;
                    break;
                case Ssl:
                    ssl = SslInfo(value, out error);
                    break;
                case NetNs:
                    netns = Text(value, "NETNS", out error);
                    break;
                default:
                    // NOOP (0x04), the custom and experimental ranges and future types: skipped, as the specification asks.
                    error = null;
                    break;
            }
            if (error is not null)
            {
                return null;
            }
        }
        error = null;
        return new ProxyTlvs(alpn, authority, uniqueId, ssl, netns, checksumVerified);
    }

    /// <summary>One TLV header at <paramref name="position"/>, which moves past its value.</summary>
    private static bool TryNext(ReadOnlySpan<byte> bytes, ref int position, out byte type, out int valueStart, out int length, out string? error)
    {
        type = 0;
        valueStart = 0;
        length = 0;
        if (bytes.Length - position < 3)
        {
            error = "TLV cut short after " + (bytes.Length - position) + " bytes";
            return false;
        }
        type = bytes[position];
        length = BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(position + 1, 2));
        valueStart = position + 3;
        if (length > bytes.Length - valueStart)
        {
            error = "TLV type 0x" + type.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + " of " + length + " bytes runs past the header";
            return false;
        }
        position = valueStart + length;
        error = null;
        return true;
    }

    /// <summary>
    /// PP2_TYPE_CRC32C: the CRC32c of the whole header with this field's four bytes taken as zero.
    /// </summary>
    private static bool ChecksumMatches(ReadOnlySpan<byte> header, int valueStart, ReadOnlySpan<byte> value, out string? error)
    {
        if (value.Length != 4)
        {
            error = "CRC32C TLV of " + value.Length + " bytes (4)";
            return false;
        }
        var crc = uint.MaxValue;
        for (var i = 0; i < header.Length; i++)
        {
            var zeroed = i >= valueStart && i < valueStart + 4;
            crc = BitOperations.Crc32C(crc, zeroed ? (byte)0 : header[i]);
        }
        crc = ~crc;
        var expected = BinaryPrimitives.ReadUInt32BigEndian(value);
        error = crc == expected ? null : "CRC32C mismatch";
        return error is null;
    }

    /// <summary>PP2_TYPE_SSL: client flags (1 byte), verify (4 bytes), then sub-TLVs.</summary>
    private static ProxySslInfo? SslInfo(ReadOnlySpan<byte> value, out string? error)
    {
        if (value.Length < 5)
        {
            error = "SSL TLV of " + value.Length + " bytes (at least 5)";
            return null;
        }
        var client = value[0];
        var verify = BinaryPrimitives.ReadUInt32BigEndian(value[1..5]);
        string? version = null, commonName = null, cipher = null, signature = null, key = null;
        var seen = new HashSet<byte>();
        var position = 5;
        while (position < value.Length)
        {
            if (!TryNext(value, ref position, out var type, out var start, out var length, out error))
            {
                error = "SSL " + error;
                return null;
            }
            var sub = value.Slice(start, length);
            if (type is >= SslVersion and <= SslKeyAlgorithm && !seen.Add(type))
            {
                error = "SSL sub-TLV type 0x" + type.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + " twice";
                return null;
            }
            switch (type)
            {
                case SslVersion:
                    version = Text(sub, "SSL_VERSION", out error);
                    break;
                case SslCommonName:
                    commonName = Text(sub, "SSL_CN", out error);
                    break;
                case SslCipher:
                    cipher = Text(sub, "SSL_CIPHER", out error);
                    break;
                case SslSignatureAlgorithm:
                    signature = Text(sub, "SSL_SIG_ALG", out error);
                    break;
                case SslKeyAlgorithm:
                    key = Text(sub, "SSL_KEY_ALG", out error);
                    break;
                default:
                    error = null;
                    break;
            }
            if (error is not null)
            {
                return null;
            }
        }
        error = null;
        return new ProxySslInfo(client, verify, version, commonName, cipher, signature, key);
    }

    /// <summary>A string TLV: strict UTF-8 without control characters (they would reach the log).</summary>
    private static string? Text(ReadOnlySpan<byte> value, string name, out string? error)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException)
        {
            error = name + " TLV is not UTF-8";
            return null;
        }
        if (text.Any(char.IsControl))
        {
            error = name + " TLV with a control character";
            return null;
        }
        error = null;
        return text;
    }
}
