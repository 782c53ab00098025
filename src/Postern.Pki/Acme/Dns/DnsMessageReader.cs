using System.Buffers.Binary;
using System.Text;

namespace Postern.Pki.Acme.Dns;

/// <summary>
/// Parses a DNS message from an untrusted server (RFC 1035 4.1): every count and length checked
/// against the bytes that are there, compression pointers only backwards (no loops) and names at
/// most 255 octets. A malformed message is a <see cref="DnsFormatException"/>, nothing else.
/// </summary>
internal static class DnsMessageReader
{
    private const int HeaderLength = 12;
    private const int MaxMessageLength = 65535;

    public static DnsMessage Read(ReadOnlyMemory<byte> wire)
    {
        var bytes = wire.Span;
        if (bytes.Length < HeaderLength)
        {
            throw new DnsFormatException($"a DNS message of {bytes.Length} octets is shorter than its header");
        }
        if (bytes.Length > MaxMessageLength)
        {
            throw new DnsFormatException("a DNS message is longer than 65535 octets");
        }
        var id = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        var questions = BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]);
        var position = HeaderLength;
        for (var i = 0; i < questions; i++)
        {
            ReadName(bytes, ref position);
            Need(bytes, position, 4);
            position += 4;
        }
        var answers = ReadRecords(wire, BinaryPrimitives.ReadUInt16BigEndian(bytes[6..]), ref position);
        var authorities = ReadRecords(wire, BinaryPrimitives.ReadUInt16BigEndian(bytes[8..]), ref position);
        var additionals = ReadRecords(wire, BinaryPrimitives.ReadUInt16BigEndian(bytes[10..]), ref position);
        if (position != bytes.Length)
        {
            throw new DnsFormatException($"{bytes.Length - position} octets follow the last record");
        }
        return new DnsMessage(id, flags, questions, answers, authorities, additionals, wire);
    }

    private static List<DnsRecord> ReadRecords(ReadOnlyMemory<byte> wire, int count, ref int position)
    {
        var bytes = wire.Span;
        var records = new List<DnsRecord>(Math.Min(count, 64));
        for (var i = 0; i < count; i++)
        {
            var start = position;
            var name = ReadName(bytes, ref position);
            Need(bytes, position, 10);
            var type = BinaryPrimitives.ReadUInt16BigEndian(bytes[position..]);
            var @class = BinaryPrimitives.ReadUInt16BigEndian(bytes[(position + 2)..]);
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(bytes[(position + 4)..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(position + 8)..]);
            position += 10;
            Need(bytes, position, length);
            records.Add(new DnsRecord(name, type, @class, ttl, wire.Slice(position, length), start, position));
            position += length;
        }
        return records;
    }

    /// <summary>
    /// Reads a possibly compressed name at <paramref name="position"/> (advanced past it in the
    /// record, not past a pointer's target). Octets outside printable ASCII and dots inside labels
    /// come out as \DDD, as in zone files.
    /// </summary>
    public static string ReadName(ReadOnlySpan<byte> bytes, ref int position)
    {
        var name = new StringBuilder();
        var cursor = position;
        var resumeAt = -1;
        var wireLength = 1;
        while (true)
        {
            Need(bytes, cursor, 1);
            var length = bytes[cursor];
            if ((length & 0xC0) == 0xC0)
            {
                Need(bytes, cursor, 2);
                var target = BinaryPrimitives.ReadUInt16BigEndian(bytes[cursor..]) & 0x3FFF;
                // Only backwards: every jump lands strictly before the pointer, so the walk ends.
                if (target >= cursor)
                {
                    throw new DnsFormatException($"a compression pointer at {cursor} points forwards");
                }
                if (resumeAt < 0)
                {
                    resumeAt = cursor + 2;
                }
                cursor = target;
                continue;
            }
            if ((length & 0xC0) != 0)
            {
                throw new DnsFormatException($"an unknown label type 0x{length:x2} at {cursor}");
            }
            cursor++;
            if (length == 0)
            {
                break;
            }
            Need(bytes, cursor, length);
            wireLength += 1 + length;
            if (wireLength > DnsName.MaxWireLength)
            {
                throw new DnsFormatException("a name longer than 255 octets");
            }
            AppendLabel(name, bytes.Slice(cursor, length));
            cursor += length;
        }
        position = resumeAt >= 0 ? resumeAt : cursor;
        return name.Length == 0 ? "." : name.ToString();
    }

    private static void AppendLabel(StringBuilder name, ReadOnlySpan<byte> label)
    {
        foreach (var b in label)
        {
            if (b is > 0x20 and < 0x7F and not (byte)'.' and not (byte)'\\')
            {
                name.Append((char)b);
            }
            else
            {
                name.Append('\\').Append(((int)b).ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        name.Append('.');
    }

    private static void Need(ReadOnlySpan<byte> bytes, int position, int count)
    {
        if (position + count > bytes.Length)
        {
            throw new DnsFormatException($"the message ends at {bytes.Length} octets inside a field at {position}");
        }
    }
}
