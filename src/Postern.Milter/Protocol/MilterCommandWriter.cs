using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Postern.Milter.Protocol;

/// <summary>
/// Encodes the MTA's commands as frames (length, code, data). Strings go as UTF-8 ending in NUL;
/// a NUL inside a string (a header with a NUL byte) is sent as a space, since the milter would
/// take it for the string's end.
/// </summary>
internal static class MilterCommandWriter
{
    /// <summary>sendmail's MILTER_CHUNK_SIZE: the most body bytes one BODY command carries.</summary>
    public const int MaxBodyChunk = 65535;

    public static byte[] OptionNegotiation(uint version, MilterActions actions, MilterProtocolFlags protocol)
    {
        var data = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(data, version);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), (uint)actions);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(8), (uint)protocol);
        return Frame(MilterCommandCode.OptionNegotiation, data);
    }

    /// <summary>SMFIC_MACRO for the command <paramref name="stage"/>: the command's code, then name and value strings in turn.</summary>
    public static byte[] Macro(MilterCommandCode stage, IReadOnlyList<KeyValuePair<string, string>> macros)
    {
        var data = new ArrayBufferWriter<byte>(64);
        data.Write([(byte)stage]);
        foreach (var (name, value) in macros)
        {
            WriteString(data, name);
            WriteString(data, value);
        }
        return Frame(MilterCommandCode.Macro, data.WrittenSpan);
    }

    /// <summary>
    /// SMFIC_CONNECT: host name, family (<c>4</c>, <c>6</c>, <c>L</c> or <c>U</c>), port in network
    /// order and address; with the unknown family only the host name and the family.
    /// </summary>
    public static byte[] Connect(string hostName, char family, int port, string address)
    {
        var data = new ArrayBufferWriter<byte>(64);
        WriteString(data, hostName);
        data.Write([(byte)family]);
        if (family != 'U')
        {
            var portBytes = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(portBytes, (ushort)port);
            data.Write(portBytes);
            WriteString(data, address);
        }
        return Frame(MilterCommandCode.Connect, data.WrittenSpan);
    }

    public static byte[] Helo(string heloName) => Strings(MilterCommandCode.Helo, [heloName]);

    /// <summary>SMFIC_MAIL: the sender in angle brackets, then each ESMTP parameter, each a string.</summary>
    public static byte[] Mail(IReadOnlyList<string> arguments) => Strings(MilterCommandCode.Mail, arguments);

    /// <summary>SMFIC_RCPT: the recipient in angle brackets, then each ESMTP parameter.</summary>
    public static byte[] Recipient(IReadOnlyList<string> arguments) => Strings(MilterCommandCode.Recipient, arguments);

    /// <summary>SMFIC_HEADER: name and value as bytes (the value's folded lines joined by LF, as sendmail sends them).</summary>
    public static byte[] Header(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var data = new byte[name.Length + value.Length + 2];
        CopyWithoutNul(name, data);
        CopyWithoutNul(value, data.AsSpan(name.Length + 1));
        return Frame(MilterCommandCode.Header, data);
    }

    /// <summary>SMFIC_BODY: one chunk, at most <see cref="MaxBodyChunk"/> bytes.</summary>
    public static byte[] Body(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length > MaxBodyChunk)
        {
            throw new ArgumentException("A body chunk is at most " + MaxBodyChunk + " bytes", nameof(chunk));
        }
        return Frame(MilterCommandCode.Body, chunk);
    }

    /// <summary>A command without data: DATA, EOH, BODYEOB, ABORT, QUIT, QUIT_NC.</summary>
    public static byte[] Bare(MilterCommandCode code) => Frame(code, []);

    public static byte[] Unknown(string commandLine) => Strings(MilterCommandCode.Unknown, [commandLine]);

    private static byte[] Strings(MilterCommandCode code, IReadOnlyList<string> strings)
    {
        var data = new ArrayBufferWriter<byte>(64);
        foreach (var text in strings)
        {
            WriteString(data, text);
        }
        return Frame(code, data.WrittenSpan);
    }

    private static void WriteString(ArrayBufferWriter<byte> data, string text)
    {
        var span = data.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length) + 1);
        var written = Encoding.UTF8.GetBytes(text, span);
        span[..written].Replace((byte)0, (byte)' ');
        span[written] = 0;
        data.Advance(written + 1);
    }

    private static void CopyWithoutNul(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        destination[..source.Length].Replace((byte)0, (byte)' ');
        destination[source.Length] = 0;
    }

    private static byte[] Frame(MilterCommandCode code, ReadOnlySpan<byte> data)
    {
        var frame = new byte[5 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)(data.Length + 1));
        frame[4] = (byte)code;
        data.CopyTo(frame.AsSpan(5));
        return frame;
    }
}
