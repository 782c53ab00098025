using System.Buffers.Binary;

namespace Postern.Milter.Protocol;

/// <summary>
/// Reads frames from a milter: a 4-byte big-endian length (the code byte included), the code, the
/// data. A length of zero, or one over <see cref="MaxFrameLength"/>, is refused before anything
/// is allocated for it: no legal reply comes near (body replacement arrives in chunks of at most
/// 65,535 bytes; libmilter's largest data setting is 1 MiB), so such a length is garbage.
/// </summary>
internal sealed class MilterFrameReader(Stream stream)
{
    /// <summary>The largest frame accepted, code byte included: 1 MiB of data (libmilter's SMFI_SETMAXDATASIZE maximum) and the code.</summary>
    public const int MaxFrameLength = 1024 * 1024 + 1;

    private readonly byte[] _length = new byte[4];

    /// <summary>The next frame.</summary>
    /// <exception cref="MilterProtocolException">The length is zero or over the limit.</exception>
    /// <exception cref="EndOfStreamException">The milter closed the connection (before or inside a frame).</exception>
    public async ValueTask<MilterFrame> ReadAsync(CancellationToken cancellationToken)
    {
        await stream.ReadExactlyAsync(_length, cancellationToken);
        var length = CheckedLength(_length);
        var frame = new byte[length];
        await stream.ReadExactlyAsync(frame, cancellationToken);
        return new MilterFrame(frame[0], frame.AsMemory(1));
    }

    /// <summary>
    /// A frame at the start of <paramref name="buffer"/>: false when the buffer ends first
    /// (<paramref name="consumed"/> is 0); the frame's data is a slice of the buffer.
    /// </summary>
    /// <exception cref="MilterProtocolException">The length is zero or over the limit.</exception>
    public static bool TryParse(ReadOnlyMemory<byte> buffer, out MilterFrame frame, out int consumed)
    {
        frame = default;
        consumed = 0;
        if (buffer.Length < 4)
        {
            return false;
        }
        var length = CheckedLength(buffer.Span[..4]);
        if (buffer.Length - 4 < length)
        {
            return false;
        }
        frame = new MilterFrame(buffer.Span[4], buffer.Slice(5, length - 1));
        consumed = 4 + length;
        return true;
    }

    private static int CheckedLength(ReadOnlySpan<byte> prefix)
    {
        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        if (length is 0 or > MaxFrameLength)
        {
            throw new MilterProtocolException(length == 0
                ? "a frame of length 0 (no reply code)"
                : $"a frame of {length} bytes (over {MaxFrameLength})");
        }
        return (int)length;
    }
}
