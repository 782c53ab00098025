using System.Buffers.Binary;
using System.Net;

namespace Postern.Protocol.Proxy;

/// <summary>
/// The v2 binary header: the 12-byte signature, version and command, family and transport, a
/// 16-bit length, then the address block for the family and TLVs to the end of the length.
/// </summary>
internal static class ProxyV2Parser
{
    /// <summary>Signature, version/command, family/transport and length.</summary>
    public const int FixedLength = 16;

    private const int InetBlock = 12;
    private const int Inet6Block = 36;
    private const int UnixBlock = 216;

    public static ProxyParseResult Parse(ReadOnlySpan<byte> input)
    {
        if (input.Length < FixedLength)
        {
            return ProxyParseResult.NeedMore(FixedLength);
        }
        var versionCommand = input[12];
        if (versionCommand >> 4 != 2)
        {
            return ProxyParseResult.Invalid("v2 header with version " + (versionCommand >> 4));
        }
        var command = (versionCommand & 0x0F) switch
        {
            0 => ProxyCommand.Local,
            1 => ProxyCommand.Proxy,
            _ => (ProxyCommand?)null,
        };
        if (command is null)
        {
            return ProxyParseResult.Invalid("v2 header with command " + (versionCommand & 0x0F) + " (LOCAL 0 or PROXY 1)");
        }
        var payload = BinaryPrimitives.ReadUInt16BigEndian(input[14..16]);
        var length = FixedLength + payload;
        if (length > ProxyHeaderParser.MaxLength)
        {
            return ProxyParseResult.Invalid("v2 header of " + length + " bytes, more than " + ProxyHeaderParser.MaxLength);
        }
        if (input.Length < length)
        {
            return ProxyParseResult.NeedMore(length);
        }
        if (command == ProxyCommand.Local)
        {
            // LOCAL: the receiver uses the connection's own addresses and discards the protocol block
            // with its family (proxy-protocol.txt 2.2), TLVs included.
            return ProxyParseResult.Complete(new ProxyHeader(2, ProxyCommand.Local, ProxyAddressFamily.Unspecified, null, null, ProxyTlvs.None), length);
        }
        var header = input[..length];
        var familyTransport = input[13];
        var (family, block, error) = Family(familyTransport);
        if (error is not null)
        {
            return ProxyParseResult.Invalid(error);
        }
        if (payload < block)
        {
            return ProxyParseResult.Invalid("v2 header of " + payload + " bytes after the fixed part, too short for its " + family + " addresses (" + block + ")");
        }
        var tlvs = ProxyTlvParser.Parse(header, FixedLength + block, out var tlvError);
        if (tlvs is null)
        {
            return ProxyParseResult.Invalid("v2 header: " + tlvError);
        }
        var addresses = header[FixedLength..];
        var (source, destination) = family switch
        {
            ProxyAddressFamily.Inet => (
                new IPEndPoint(new IPAddress(addresses[..4]), BinaryPrimitives.ReadUInt16BigEndian(addresses[8..10])),
                new IPEndPoint(new IPAddress(addresses[4..8]), BinaryPrimitives.ReadUInt16BigEndian(addresses[10..12]))),
            ProxyAddressFamily.Inet6 => (
                new IPEndPoint(new IPAddress(addresses[..16]), BinaryPrimitives.ReadUInt16BigEndian(addresses[32..34])),
                new IPEndPoint(new IPAddress(addresses[16..32]), BinaryPrimitives.ReadUInt16BigEndian(addresses[34..36]))),
            _ => ((IPEndPoint?)null, (IPEndPoint?)null),
        };
        return ProxyParseResult.Complete(new ProxyHeader(2, ProxyCommand.Proxy, family, source, destination, tlvs), length);
    }

    /// <summary>The family of a PROXY header and the size of its address block.</summary>
    private static (ProxyAddressFamily Family, int Block, string? Error) Family(byte familyTransport)
    {
        if (familyTransport == 0x00)
        {
            // AF_UNSPEC over UNSPEC: the proxy does not know the client's address; no block.
            return (ProxyAddressFamily.Unspecified, 0, null);
        }
        var family = familyTransport >> 4;
        var transport = familyTransport & 0x0F;
        if (transport != 1)
        {
            // A datagram (or unspecified) transport on an SMTP listener is not a relayed SMTP connection.
            return (ProxyAddressFamily.Unspecified, 0, "v2 header with transport " + transport + " (STREAM 1 only)");
        }
        return family switch
        {
            1 => (ProxyAddressFamily.Inet, InetBlock, null),
            2 => (ProxyAddressFamily.Inet6, Inet6Block, null),
            3 => (ProxyAddressFamily.Unix, UnixBlock, null),
            _ => (ProxyAddressFamily.Unspecified, 0, "v2 header with address family " + family + " (UNSPEC 0, INET 1, INET6 2, UNIX 3)"),
        };
    }
}
