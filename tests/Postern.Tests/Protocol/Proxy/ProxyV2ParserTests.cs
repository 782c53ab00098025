using System.Buffers.Binary;
using System.Net;
using Postern.Fuzz.Seeds;
using Postern.Protocol.Proxy;

namespace Postern.Tests.Protocol.Proxy;

public sealed class ProxyV2ParserTests
{
    private static readonly IPEndPoint Client = new(IPAddress.Parse("192.0.2.7"), 40000);
    private static readonly IPEndPoint Server = new(IPAddress.Parse("198.51.100.1"), 25);

    private static byte[] Tlv(byte type, string value) => ProxyHeaderBytes.Tlv(type, value);

    private static byte[] Tlv(byte type, byte[] value) => ProxyHeaderBytes.Tlv(type, value);

    [Fact]
    public void Inet_gives_both_end_points()
    {
        var bytes = ProxyHeaderBytes.V2Tcp(Client, Server);
        var result = ProxyHeaderParser.Parse([.. bytes, .. "EHLO x\r\n"u8]);

        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(16 + 12, result.Length);
        var header = result.Header!;
        Assert.Equal(2, header.Version);
        Assert.Equal(ProxyCommand.Proxy, header.Command);
        Assert.Equal(ProxyAddressFamily.Inet, header.Family);
        Assert.Equal(Client, header.Source);
        Assert.Equal(Server, header.Destination);
        Assert.True(header.CarriesAddresses);
        Assert.False(header.Tlvs.ChecksumVerified);
    }

    [Fact]
    public void Inet6_gives_both_end_points()
    {
        var client = new IPEndPoint(IPAddress.Parse("2001:db8::7"), 1);
        var server = new IPEndPoint(IPAddress.Parse("2001:db8::1"), 587);
        var result = ProxyHeaderParser.Parse(ProxyHeaderBytes.V2Tcp(client, server));

        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(16 + 36, result.Length);
        Assert.Equal(ProxyAddressFamily.Inet6, result.Header!.Family);
        Assert.Equal(client, result.Header.Source);
        Assert.Equal(server, result.Header.Destination);
    }

    [Fact]
    public void Unix_is_read_but_carries_no_network_address()
    {
        var result = ProxyHeaderParser.Parse(ProxyHeaderBytes.V2(0x21, 0x31, new byte[216]));

        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(ProxyAddressFamily.Unix, result.Header!.Family);
        Assert.False(result.Header.CarriesAddresses);
    }

    [Fact]
    public void Unspec_carries_no_address()
    {
        var result = ProxyHeaderParser.Parse(ProxyHeaderBytes.V2(0x21, 0x00, []));

        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(ProxyCommand.Proxy, result.Header!.Command);
        Assert.Equal(ProxyAddressFamily.Unspecified, result.Header.Family);
        Assert.False(result.Header.CarriesAddresses);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x11)]
    [InlineData(0x21)]
    [InlineData(0x12)]
    [InlineData(0x55)]
    public void Local_ignores_the_family_and_the_block(byte familyTransport)
    {
        var block = ProxyHeaderBytes.V2Tcp(Client, Server)[16..];
        var result = ProxyHeaderParser.Parse(ProxyHeaderBytes.V2(0x20, familyTransport, block));

        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(16 + 12, result.Length);
        Assert.Equal(ProxyCommand.Local, result.Header!.Command);
        Assert.Null(result.Header.Source);
        Assert.False(result.Header.CarriesAddresses);
    }

    [Fact]
    public void Every_known_tlv_is_read_and_unknown_ones_are_skipped()
    {
        byte[] ssl = [0x07, 0, 0, 0, 0, .. Tlv(0x21, "TLSv1.3"), .. Tlv(0x22, "client.example"), .. Tlv(0x23, "TLS_AES_256_GCM_SHA384"), .. Tlv(0x24, "SHA256"), .. Tlv(0x25, "EC256"), .. Tlv(0x26, [1])];
        var bytes = ProxyHeaderBytes.V2Tcp(Client, Server, [
            Tlv(0x01, "smtp"), Tlv(0x02, "mx.example"), Tlv(0x04, new byte[3]), Tlv(0x05, [1, 2, 3]), Tlv(0x20, ssl), Tlv(0x30, "blue"), Tlv(0xE0, [9, 9]), Tlv(0xF8, []),
        ], checksum: true);

        var result = ProxyHeaderParser.Parse(bytes);

        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(bytes.Length, result.Length);
        var tlvs = result.Header!.Tlvs;
        Assert.Equal("smtp"u8.ToArray(), tlvs.Alpn);
        Assert.Equal("mx.example", tlvs.Authority);
        Assert.Equal([1, 2, 3], tlvs.UniqueId);
        Assert.Equal("blue", tlvs.NetworkNamespace);
        Assert.True(tlvs.ChecksumVerified);
        var info = tlvs.Ssl!;
        Assert.True(info.ClientUsedTls);
        Assert.Equal(0u, info.Verify);
        Assert.Equal("TLSv1.3", info.Version);
        Assert.Equal("client.example", info.CommonName);
        Assert.Equal("TLS_AES_256_GCM_SHA384", info.Cipher);
        Assert.Equal("SHA256", info.SignatureAlgorithm);
        Assert.Equal("EC256", info.KeyAlgorithm);
    }

    [Fact]
    public void The_reference_crc32c_of_123456789_is_the_standard_check_value()
    {
        Assert.Equal(0xE3069283u, ProxyHeaderBytes.Crc32c("123456789"u8));
    }

    [Fact]
    public void A_checksum_that_does_not_match_is_refused()
    {
        var bytes = ProxyHeaderBytes.V2Tcp(Client, Server, [Tlv(0x02, "mx.example")], checksum: true);
        bytes[16] ^= 1;

        var result = ProxyHeaderParser.Parse(bytes);

        Assert.Equal(ProxyParseStatus.Invalid, result.Status);
        Assert.Contains("CRC32C mismatch", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_partial_header_asks_for_exactly_its_length()
    {
        var bytes = ProxyHeaderBytes.V2Tcp(Client, Server, [Tlv(0x02, "mx.example")]);

        Assert.Equal(16, ProxyHeaderParser.Parse(bytes.AsSpan(0, 3)).Length);
        Assert.Equal(16, ProxyHeaderParser.Parse(bytes.AsSpan(0, 12)).Length);
        Assert.Equal(16, ProxyHeaderParser.Parse(bytes.AsSpan(0, 15)).Length);
        var partial = ProxyHeaderParser.Parse(bytes.AsSpan(0, 20));
        Assert.Equal(ProxyParseStatus.NeedMore, partial.Status);
        Assert.Equal(bytes.Length, partial.Length);
    }

    [Fact]
    public void A_header_over_4096_bytes_is_refused_before_it_is_read()
    {
        var bytes = ProxyHeaderBytes.V2Tcp(Client, Server)[..16];
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(14), 4096 - 16 + 1);

        var result = ProxyHeaderParser.Parse(bytes);

        Assert.Equal(ProxyParseStatus.Invalid, result.Status);
        Assert.Contains("more than 4096", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_largest_header_accepted_is_4096_bytes()
    {
        var bytes = ProxyHeaderBytes.V2Tcp(Client, Server, [Tlv(0xE1, new byte[4096 - 16 - 12 - 3])]);

        Assert.Equal(4096, bytes.Length);
        Assert.Equal(ProxyParseStatus.Complete, ProxyHeaderParser.Parse(bytes).Status);
    }

    public static TheoryData<string, byte[]> Malformed()
    {
        var good = ProxyHeaderBytes.V2Tcp(Client, Server);
        var block = good[16..];
        var data = new TheoryData<string, byte[]>
        {
            { "version 1", ProxyHeaderBytes.V2(0x11, 0x11, block) },
            { "version 3", ProxyHeaderBytes.V2(0x31, 0x11, block) },
            { "command 2", ProxyHeaderBytes.V2(0x22, 0x11, block) },
            { "transport 2", ProxyHeaderBytes.V2(0x21, 0x12, block) },
            { "transport 0", ProxyHeaderBytes.V2(0x21, 0x10, block) },
            { "address family 4", ProxyHeaderBytes.V2(0x21, 0x41, block) },
            { "too short for its Inet", ProxyHeaderBytes.V2(0x21, 0x11, block.AsSpan(0, 11)) },
            { "too short for its Inet6", ProxyHeaderBytes.V2(0x21, 0x21, block) },
            { "too short for its Unix", ProxyHeaderBytes.V2(0x21, 0x31, new byte[215]) },
            { "TLV cut short", ProxyHeaderBytes.V2(0x21, 0x11, [.. block, 0x02, 0x00]) },
            { "runs past the header", ProxyHeaderBytes.V2(0x21, 0x11, [.. block, 0x02, 0x00, 0x05, (byte)'a']) },
            { "twice", ProxyHeaderBytes.V2Tcp(Client, Server, [Tlv(0x02, "a"), Tlv(0x02, "b")]) },
            { "AUTHORITY TLV is not UTF-8", ProxyHeaderBytes.V2Tcp(Client, Server, [Tlv(0x02, [0xC3, 0x28])]) },
            { "AUTHORITY TLV with a control character", ProxyHeaderBytes.V2Tcp(Client, Server, [Tlv(0x02, "mx\r\nexample")]) },
            { "UNIQUE_ID TLV of 129 bytes", ProxyHeaderBytes.V2Tcp(Client, Server, [Tlv(0x05, new byte[129])]) },
            { "CRC32C TLV of 2 bytes", ProxyHeaderBytes.V2Tcp(Client, Server, [Tlv(0x03, [0, 0])]) },
            { "SSL TLV of 4 bytes", ProxyHeaderBytes.V2Tcp(Client, Server, [Tlv(0x20, [1, 0, 0, 0])]) },
            { "SSL TLV", ProxyHeaderBytes.V2Tcp(Client, Server, [Tlv(0x20, [1, 0, 0, 0, 0, 0x21, 0, 9, (byte)'T'])]) },
            { "SSL sub-TLV type 0x22 twice", ProxyHeaderBytes.V2Tcp(Client, Server, [Tlv(0x20, [1, 0, 0, 0, 0, .. Tlv(0x22, "a"), .. Tlv(0x22, "b")])]) },
            { "SSL_CN TLV is not UTF-8", ProxyHeaderBytes.V2Tcp(Client, Server, [Tlv(0x20, [1, 0, 0, 0, 0, .. Tlv(0x22, [0xFF])])]) },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_headers_are_refused_with_a_reason(string reason, byte[] bytes)
    {
        var result = ProxyHeaderParser.Parse(bytes);

        Assert.Equal(ProxyParseStatus.Invalid, result.Status);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_signature_is_not_a_header()
    {
        var bytes = ProxyHeaderBytes.V2Tcp(Client, Server);
        bytes[11] = 0x0B;

        Assert.Equal(ProxyParseStatus.Invalid, ProxyHeaderParser.Parse(bytes).Status);
    }
}
