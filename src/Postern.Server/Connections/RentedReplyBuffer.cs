using System.Buffers;

namespace Postern.Server.Connections;

/// <summary>
/// The replies queued for the next flush, in an array rented from the shared pool only while
/// replies wait to be sent: an idle session (most of thousands of open connections) holds no
/// buffer at all, where a buffer of its own cost each connection 1 KB for its whole life.
/// </summary>
internal sealed class RentedReplyBuffer : IBufferWriter<byte>
{
    private const int InitialSize = 1024;

    private byte[]? _array;
    private int _written;

    /// <summary>The bytes queued so far (empty when none).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _array is null ? ReadOnlyMemory<byte>.Empty : _array.AsMemory(0, _written);

    public int WrittenCount => _written;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_array is null || _written + count > _array.Length)
        {
            throw new InvalidOperationException("advanced past the buffer");
        }
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint).AsMemory(_written);

    public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint).AsSpan(_written);

    /// <summary>Forgets what was queued and gives the array back to the pool.</summary>
    public void Release()
    {
        if (_array is { } array)
        {
            _array = null;
            _written = 0;
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private byte[] Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (_array is null)
        {
            _array = ArrayPool<byte>.Shared.Rent(Math.Max(needed, InitialSize));
        }
        else if (needed > _array.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _array.Length * 2));
            _array.AsSpan(0, _written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = larger;
        }
        return _array;
    }
}
