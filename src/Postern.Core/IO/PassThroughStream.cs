namespace Postern.Core.IO;

/// <summary>
/// A stream that hands every call on to <see cref="Inner"/>: the base of the streams that watch,
/// count or sniff bytes on their way, so each one says only what it adds.
/// </summary>
/// <remarks>
/// To see the data, override <see cref="ReadAsync(Memory{byte}, CancellationToken)"/> and
/// <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/> (the array overloads come
/// through them), and for synchronous callers <see cref="Read(byte[], int, int)"/> and
/// <see cref="Write(byte[], int, int)"/> (the span overloads come through those, as in
/// <see cref="Stream"/>). Each call costs one forwarding call on top of the inner stream's: these
/// streams sit on every message's bytes.
/// </remarks>
public abstract class PassThroughStream : Stream
{
    private readonly bool _ownsInner;

    /// <param name="inner">The stream every call goes to.</param>
    /// <param name="ownsInner">Whether disposing this stream disposes <paramref name="inner"/>.</param>
    protected PassThroughStream(Stream inner, bool ownsInner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
        _ownsInner = ownsInner;
    }

    /// <summary>The stream underneath.</summary>
    protected Stream Inner { get; }

    public override bool CanRead => Inner.CanRead;

    public override bool CanSeek => Inner.CanSeek;

    public override bool CanWrite => Inner.CanWrite;

    public override long Length => Inner.Length;

    public override long Position
    {
        get => Inner.Position;
        set => Inner.Position = value;
    }

    public override long Seek(long offset, SeekOrigin origin) => Inner.Seek(offset, origin);

    public override void SetLength(long value) => Inner.SetLength(value);

    public override int Read(byte[] buffer, int offset, int count) => Inner.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Inner.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        Inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => Inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => Inner.FlushAsync(cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsInner)
        {
            Inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_ownsInner)
        {
            await Inner.DisposeAsync();
        }
        // Then Dispose(true), for what a subclass releases; disposing a stream twice does nothing.
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
