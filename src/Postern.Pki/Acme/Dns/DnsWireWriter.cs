using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Postern.Pki.Acme.Dns;

/// <summary>Appends DNS wire fields in network byte order (RFC 1035 4.1).</summary>
internal sealed class DnsWireWriter
{
    /// <summary>The offset of the first name after the 12-octet header: the zone (or question) name, the target of compression pointers.</summary>
    public const int FirstNameOffset = 12;

    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void UInt16(int value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), checked((ushort)value));
        _buffer.Advance(2);
    }

    public void UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    /// <summary>TSIG's 48-bit time signed (RFC 8945 4.2).</summary>
    public void UInt48(long value)
    {
        UInt16((int)((value >> 32) & 0xFFFF));
        UInt32((uint)(value & 0xFFFFFFFF));
    }

    public void Bytes(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    /// <summary>A name uncompressed, as given (case kept).</summary>
    public void Name(string name) => Name(name, compressionZone: null);

    /// <summary>
    /// A name; when it lies at or below <paramref name="compressionZone"/> (the name written at
    /// <see cref="FirstNameOffset"/>), its zone part becomes a pointer there, as knsupdate and
    /// nsupdate write update owners (RFC 1035 4.1.4).
    /// </summary>
    public void Name(string name, string? compressionZone)
    {
        var labels = DnsName.Labels(name);
        var own = labels.Count;
        if (compressionZone is not null && DnsName.IsAtOrBelow(name, compressionZone))
        {
            own = labels.Count - DnsName.Labels(compressionZone).Count;
        }
        for (var i = 0; i < own; i++)
        {
            var label = Encoding.ASCII.GetBytes(labels[i]);
            _buffer.Write([(byte)label.Length]);
            _buffer.Write(label);
        }
        if (own < labels.Count)
        {
            UInt16(0xC000 | FirstNameOffset);
        }
        else
        {
            _buffer.Write([(byte)0]);
        }
    }

    /// <summary>One character-string (RFC 1035 3.3): a length octet and up to 255 octets.</summary>
    public void CharacterString(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        if (bytes.Length > 255)
        {
            throw new ArgumentException("a character-string holds at most 255 octets", nameof(text));
        }
        _buffer.Write([(byte)bytes.Length]);
        _buffer.Write(bytes);
    }
}
