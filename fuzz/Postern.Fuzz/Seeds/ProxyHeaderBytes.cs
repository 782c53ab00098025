using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Postern.Fuzz.Seeds;

/// <summary>
/// PROXY v2 headers built byte by byte as HAProxy writes them (the fuzz seeds and the parser's
/// tests), with a CRC32c computed bit by bit here rather than by the code under test.
/// </summary>
internal static class ProxyHeaderBytes
{
    public static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>A TLV: type, 16-bit length, value.</summary>
    public static byte[] Tlv(byte type, ReadOnlySpan<byte> value)
    {
        var tlv = new byte[3 + value.Length];
        tlv[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(tlv.AsSpan(1), (ushort)value.Length);
        value.CopyTo(tlv.AsSpan(3));
        return tlv;
    }

    public static byte[] Tlv(byte type, string value) => Tlv(type, Encoding.UTF8.GetBytes(value));

    /// <summary>A v2 header: version/command byte, family/transport byte, address block, TLVs; <paramref name="checksum"/> appends a correct CRC32C TLV.</summary>
    public static byte[] V2(byte versionCommand, byte familyTransport, ReadOnlySpan<byte> addresses, IEnumerable<byte[]>? tlvs = null, bool checksum = false)
    {
        var body = new List<byte>(addresses.ToArray());
        foreach (var tlv in tlvs ?? [])
        {
            body.AddRange(tlv);
        }
        var crcAt = -1;
        if (checksum)
        {
            crcAt = 16 + body.Count + 3;
            body.AddRange(Tlv(0x03, [0, 0, 0, 0]));
        }
        var header = new byte[16 + body.Count];
        Signature.CopyTo(header, 0);
        header[12] = versionCommand;
        header[13] = familyTransport;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)body.Count);
        body.CopyTo(header, 16);
        if (crcAt >= 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(crcAt), Crc32c(header));
        }
        return header;
    }

    /// <summary>A v2 PROXY header for TCP over IPv4 or IPv6 from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public static byte[] V2Tcp(IPEndPoint source, IPEndPoint destination, IEnumerable<byte[]>? tlvs = null, bool checksum = false)
    {
        var v6 = source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        var size = v6 ? 16 : 4;
        var block = new byte[size * 2 + 4];
        source.Address.GetAddressBytes().CopyTo(block, 0);
        destination.Address.GetAddressBytes().CopyTo(block, size);
        BinaryPrimitives.WriteUInt16BigEndian(block.AsSpan(size * 2), (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(block.AsSpan(size * 2 + 2), (ushort)destination.Port);
        return V2(0x21, v6 ? (byte)0x21 : (byte)0x11, block, tlvs, checksum);
    }

    /// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit.</summary>
    public static uint Crc32c(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }
        return ~crc;
    }

    /// <summary>The seeds for the proxy target: each family and command, every TLV Postern reads, v1 lines.</summary>
    public static IEnumerable<byte[]> Seeds()
    {
        var client = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 40000);
        var server = new IPEndPoint(IPAddress.Parse("198.51.100.1"), 25);
        yield return V2Tcp(client, server);
        yield return V2Tcp(new IPEndPoint(IPAddress.Parse("2001:db8::7"), 40000), new IPEndPoint(IPAddress.Parse("2001:db8::1"), 25), checksum: true);
        byte[] ssl = [0x07, 0, 0, 0, 0, .. Tlv(0x21, "TLSv1.3"), .. Tlv(0x22, "client.example"), .. Tlv(0x23, "TLS_AES_256_GCM_SHA384"), .. Tlv(0x24, "SHA256"), .. Tlv(0x25, "EC256")];
        yield return V2Tcp(client, server, [Tlv(0x01, "smtp"), Tlv(0x02, "mx.example"), Tlv(0x05, [1, 2, 3, 4]), Tlv(0x20, ssl), Tlv(0x30, "blue"), Tlv(0x04, []), Tlv(0xE0, [9])], checksum: true);
        yield return V2(0x20, 0x00, []);
        yield return V2(0x21, 0x00, []);
        yield return V2(0x21, 0x31, new byte[216]);
        yield return [.. "PROXY TCP4 192.0.2.7 198.51.100.1 40000 25\r\n"u8, .. "EHLO x\r\n"u8];
        yield return [.. "PROXY TCP6 2001:db8::7 2001:db8::1 40000 25\r\n"u8];
        yield return [.. "PROXY UNKNOWN\r\n"u8];
        yield return [.. "PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n"u8];
    }
}
