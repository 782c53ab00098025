namespace Postern.Tests.Protocol.Data;

/// <summary>A destination whose writes fail with IOException (a full disk), counting the attempts.</summary>
internal sealed class ThrowingStream : Stream
{
    public int WriteAttempts { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        WriteAttempts++;
        throw new IOException("No space left on device");
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        WriteAttempts++;
        return ValueTask.FromException(new IOException("No space left on device"));
    }
}
