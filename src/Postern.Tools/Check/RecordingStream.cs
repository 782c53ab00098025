namespace Postern.Tools.Check;

/// <summary>
/// The socket stream under TLS, counting what goes out and keeping the first bytes that come in
/// since <see cref="Mark"/>: after a failed handshake they tell whether our hello ever left (if
/// not, the local TLS library refused to make it) and what the server answered.
/// </summary>
internal sealed class RecordingStream(Stream inner) : Stream
{
    private const int Keep = 64;
    private readonly byte[] _firstRead = new byte[Keep];

    public long BytesWritten { get; private set; }

    /// <summary>The first byte written since <see cref="Mark"/> (a TLS record type: 0x16 handshake, 0x15 alert), or -1.</summary>
    public int FirstWrittenByte { get; private set; } = -1;

    public int FirstReadLength { get; private set; }

    public ReadOnlySpan<byte> FirstRead => _firstRead.AsSpan(0, FirstReadLength);

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Starts counting afresh (before a handshake).</summary>
    public void Mark()
    {
        BytesWritten = 0;
        FirstWrittenByte = -1;
        FirstReadLength = 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => Record(inner.Read(buffer, offset, count), buffer.AsSpan(offset));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Record(await inner.ReadAsync(buffer, cancellationToken), buffer.Span);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        Wrote(buffer.AsSpan(offset, count));
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken);
        Wrote(buffer.Span);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
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
