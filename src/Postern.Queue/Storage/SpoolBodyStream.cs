using Postern.Core.IO;

namespace Postern.Queue.Storage;

/// <summary>
/// The write-only stream the session writes message bytes to. It counts them (for the trailer),
/// remembers any failed write so a damaged message is never committed, and does not own the file.
/// </summary>
internal sealed class SpoolBodyStream(Stream inner) : PassThroughStream(inner, ownsInner: false)
{
    private bool _closed;

    public long BytesWritten { get; private set; }

    /// <summary>True once any write or flush threw: the file content is unknown.</summary>
    public bool Faulted { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_closed;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesWritten;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfClosed();
        try
        {
            Inner.Write(buffer);
        }
        catch
        {
            Faulted = true;
            throw;
        }
        BytesWritten += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        try
        {
            await Inner.WriteAsync(buffer, cancellationToken);
        }
        catch
        {
            Faulted = true;
            throw;
        }
        BytesWritten += buffer.Length;
    }

    public override void Flush()
    {
        ThrowIfClosed();
        try
        {
            Inner.Flush();
        }
        catch
        {
            Faulted = true;
            throw;
        }
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        try
        {
            await Inner.FlushAsync(cancellationToken);
        }
        catch
        {
            Faulted = true;
            throw;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Ends writing: the writer owns the file and closes it at commit or abort.</summary>
    public void Seal() => _closed = true;

    // Disposing the body (e.g. a session's using block) only stops further writes.
    protected override void Dispose(bool disposing)
    {
        _closed = true;
        base.Dispose(disposing);
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);
}
