using Postern.Core.IO;

namespace Postern.Tools.Check;

/// <summary>
/// The socket stream under TLS, counting what goes out and keeping the first bytes that come in
/// since <see cref="Mark"/>: after a failed handshake they tell whether our hello ever left (if
/// not, the local TLS library refused to make it) and what the server answered.
/// </summary>
internal sealed class RecordingStream(Stream inner) : PassThroughStream(inner, ownsInner: true)
{
    private const int Keep = 64;
    private readonly byte[] _firstRead = new byte[Keep];

    public long BytesWritten { get; private set; }

    /// <summary>The first byte written since <see cref="Mark"/> (a TLS record type: 0x16 handshake, 0x15 alert), or -1.</summary>
    public int FirstWrittenByte { get; private set; } = -1;

    public int FirstReadLength { get; private set; }

    public ReadOnlySpan<byte> FirstRead => _firstRead.AsSpan(0, FirstReadLength);

    /// <summary>Starts counting afresh (before a handshake).</summary>
    public void Mark()
    {
        BytesWritten = 0;
        FirstWrittenByte = -1;
        FirstReadLength = 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => Record(Inner.Read(buffer, offset, count), buffer.AsSpan(offset));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Record(await Inner.ReadAsync(buffer, cancellationToken), buffer.Span);

    public override void Write(byte[] buffer, int offset, int count)
    {
        Inner.Write(buffer, offset, count);
        Wrote(buffer.AsSpan(offset, count));
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Inner.WriteAsync(buffer, cancellationToken);
        Wrote(buffer.Span);
    }

    private void Wrote(ReadOnlySpan<byte> data)
    {
        if (FirstWrittenByte < 0 && !data.IsEmpty)
        {
            FirstWrittenByte = data[0];
        }
        BytesWritten += data.Length;
    }

    private int Record(int read, ReadOnlySpan<byte> data)
    {
        var room = Keep - FirstReadLength;
        if (read > 0 && room > 0)
        {
            var take = Math.Min(room, read);
            data[..take].CopyTo(_firstRead.AsSpan(FirstReadLength));
            FirstReadLength += take;
        }
        return read;
    }
}
