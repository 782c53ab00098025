using System.Buffers.Binary;
using System.Security.Authentication;

namespace Postern.Server.Tls;

/// <summary>
/// Whether a ClientHello (the first TLS record, as received) offers TLS 1.3 in its
/// supported_versions extension (RFC 8446 4.2.1). Untrusted input: every length is checked, and
/// anything malformed, truncated or split over several records counts as "not offered".
/// </summary>
internal static class ClientHelloVersions
{
    private const byte HandshakeRecord = 22;
    private const byte ClientHello = 1;
    private const ushort SupportedVersions = 43;
    private const ushort Tls13 = 0x0304;

    /// <summary>The versions the hello offers among TLS 1.2 and 1.3 (legacy hellos: TLS 1.2 at most).</summary>
    public static SslProtocols Offered(ReadOnlySpan<byte> record) =>
        OffersTls13(record) ? SslProtocols.Tls12 | SslProtocols.Tls13 : SslProtocols.Tls12;

    public static bool OffersTls13(ReadOnlySpan<byte> record)
    {
        if (record.Length < 5 || record[0] != HandshakeRecord)
        {
            return false;
        }
        var recordLength = BinaryPrimitives.ReadUInt16BigEndian(record[3..]);
        if (record.Length < 5 + recordLength)
        {
            return false;
        }
        var hello = record.Slice(5, recordLength);
        if (hello.Length < 4 || hello[0] != ClientHello)
        {
            return false;
        }
        var helloLength = (hello[1] << 16) | (hello[2] << 8) | hello[3];
        if (hello.Length < 4 + helloLength)
        {
            return false;
        }
        var body = hello.Slice(4, helloLength);
        // legacy_version (2), random (32), session id, cipher suites, compression methods.
        if (!Skip(ref body, 34) || !SkipVector(ref body, 1) || !SkipVector(ref body, 2) || !SkipVector(ref body, 1))
        {
            return false;
        }
        if (body.Length < 2)
        {
            return false;
        }
        var extensionsLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        if (body.Length < 2 + extensionsLength)
        {
            return false;
        }
        var extensions = body.Slice(2, extensionsLength);
        while (extensions.Length >= 4)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(extensions);
            var length = BinaryPrimitives.ReadUInt16BigEndian(extensions[2..]);
            if (extensions.Length < 4 + length)
            {
                return false;
            }
            var data = extensions.Slice(4, length);
            extensions = extensions[(4 + length)..];
            if (type != SupportedVersions)
            {
                continue;
            }
            if (data.Length < 1 || data[0] != data.Length - 1)
            {
                return false;
            }
            for (var i = 1; i + 1 < data.Length; i += 2)
            {
                if (BinaryPrimitives.ReadUInt16BigEndian(data[i..]) == Tls13)
                {
                    return true;
                }
            }
            return false;
        }
        return false;
    }

    private static bool Skip(ref ReadOnlySpan<byte> span, int count)
    {
        if (span.Length < count)
        {
            return false;
        }
        span = span[count..];
        return true;
    }

    // A vector with a 1- or 2-byte length prefix.
    private static bool SkipVector(ref ReadOnlySpan<byte> span, int prefix)
    {
        if (span.Length < prefix)
        {
            return false;
        }
        var length = prefix == 1 ? span[0] : BinaryPrimitives.ReadUInt16BigEndian(span);
        return Skip(ref span, prefix + length);
    }
}
