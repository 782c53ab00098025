namespace Postern.Server.Tls;

/// <summary>
/// A pass-through stream under SslStream that keeps a copy of the first TLS record the client
/// sends (its ClientHello), so the server can see which versions it offers: .NET's
/// SslClientHelloInfo reports only the legacy version fields, never the supported_versions list.
/// Keeps at most one maximal record; after that it only forwards.
/// </summary>
internal sealed class ClientHelloRecorder(Stream inner) : Stream
{
    // A TLS record: 5-byte header and at most 2^14 bytes of plaintext handshake data.
    private const int MaxRecord = 5 + (1 << 14);
    private byte[]? _recorded = new byte[MaxRecord];
    private int _length;

    /// <summary>The bytes the client sent first, up to one record; empty once recording stopped.</summary>
    public ReadOnlySpan<byte> Recorded => _recorded is null ? [] : _recorded.AsSpan(0, _length);

    /// <summary>Stops recording and frees the copy (after the handshake).</summary>
    public void StopRecording() => _recorded = null;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        if (_recorded is { } recorded && _length < recorded.Length && read > 0)
        {
            var copy = Math.Min(read, recorded.Length - _length);
            buffer.Span[..copy].CopyTo(recorded.AsSpan(_length));
            _length += copy;
        }
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

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
}
