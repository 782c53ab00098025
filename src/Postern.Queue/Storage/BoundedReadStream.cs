namespace Postern.Queue.Storage;

/// <summary>A read-only, seekable view of <c>length</c> bytes of a file starting at <c>offset</c>: the message body.</summary>
internal sealed class BoundedReadStream : Stream
{
    private readonly FileStream _file;
    private readonly long _offset;
    private readonly long _length;
    private long _position;

    private readonly bool _leaveOpen;

    /// <param name="file">The file; disposed with this stream unless <paramref name="leaveOpen"/>.</param>
    /// <param name="offset">Where the part starts.</param>
    /// <param name="length">How long it is.</param>
    /// <param name="leaveOpen">Keep <paramref name="file"/> open when this stream is disposed (it is read again).</param>
    public BoundedReadStream(FileStream file, long offset, long length, bool leaveOpen = false)
    {
        _file = file;
        _offset = offset;
        _length = length;
        _leaveOpen = leaveOpen;
        _file.Position = offset;
    }

    /// <summary>A file shorter than the part (cut while being read) is an <see cref="IOException"/>, not an early end.</summary>
    public bool RequireFullLength { get; init; }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
            _file.Position = _offset + Math.Min(value, _length);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var allowed = Allowed(buffer.Length);
        var read = _file.Read(buffer[..allowed]);
        _position += read;
        if (read == 0 && allowed > 0 && RequireFullLength)
        {
            throw new IOException("the file ended early");
        }
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var allowed = Allowed(buffer.Length);
        var read = await _file.ReadAsync(buffer[..allowed], cancellationToken);
        _position += read;
        if (read == 0 && allowed > 0 && RequireFullLength)
        {
            throw new IOException("the file ended early");
        }
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _file.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_leaveOpen)
        {
            await _file.DisposeAsync();
        }
        await base.DisposeAsync();
    }

    private int Allowed(int requested) => (int)Math.Clamp(_length - _position, 0, requested);
}
