using System.Buffers.Binary;

namespace Postern.Pki.Acme.Dns;

/// <summary>The RDATA of a TSIG record (RFC 8945 4.2), read from a response.</summary>
internal sealed record TsigRecord(
    string KeyName,
    string Algorithm,
    long TimeSigned,
    int Fudge,
    byte[] Mac,
    int OriginalId,
    int Error,
    byte[] OtherData,
    int RecordOffset)
{
    public static TsigRecord Read(DnsMessage message, DnsRecord record)
    {
        var wire = message.Wire.Span;
        var end = record.DataOffset + record.Data.Length;
        var position = record.DataOffset;
        var algorithm = DnsMessageReader.ReadName(wire, ref position);
        Need(position, 10, end);
        var timeSigned = ((long)BinaryPrimitives.ReadUInt16BigEndian(wire[position..]) << 32) | BinaryPrimitives.ReadUInt32BigEndian(wire[(position + 2)..]);
        var fudge = BinaryPrimitives.ReadUInt16BigEndian(wire[(position + 6)..]);
        var macLength = BinaryPrimitives.ReadUInt16BigEndian(wire[(position + 8)..]);
        position += 10;
        Need(position, macLength + 6, end);
        var mac = wire.Slice(position, macLength).ToArray();
        position += macLength;
        var originalId = BinaryPrimitives.ReadUInt16BigEndian(wire[position..]);
        var error = BinaryPrimitives.ReadUInt16BigEndian(wire[(position + 2)..]);
        var otherLength = BinaryPrimitives.ReadUInt16BigEndian(wire[(position + 4)..]);
        position += 6;
        Need(position, otherLength, end);
        var other = wire.Slice(position, otherLength).ToArray();
        if (position + otherLength != end)
        {
            throw new DnsFormatException("the TSIG record's data is longer than its fields");
        }
        return new TsigRecord(record.Name, algorithm, timeSigned, fudge, mac, originalId, error, other, record.Offset);
    }

    private static void Need(int position, int count, int end)
    {
        if (position + count > end)
        {
            throw new DnsFormatException("the TSIG record's data ends inside a field");
        }
    }
}
