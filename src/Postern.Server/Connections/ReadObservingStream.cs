using System.Buffers;
using Postern.Core.IO;

namespace Postern.Server.Connections;

/// <summary>
/// A pass-through stream, async only, that shows each chunk the peer sent to <see cref="OnRead"/>
/// before handing it on: the base of the client deadline's and the ClientHello recorder's streams.
/// At the end of a session it can hold writes back to send them in one (<see cref="HoldWrites"/>).
/// </summary>
internal abstract class ReadObservingStream(Stream inner) : PassThroughStream(inner, ownsInner: true)
{
    private ArrayBufferWriter<byte>? _held;

    /// <summary>Called with every non-empty chunk read from the peer.</summary>
    protected abstract void OnRead(ReadOnlySpan<byte> data);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken);
        if (read > 0)
        {
            OnRead(buffer.Span[..read]);
        }
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    /// <summary>
    /// From now on writes are kept, not sent, until <see cref="SendHeldAsync"/>. Used once, when the
    /// session ends: its last replies and the TLS close_notify then leave in one TCP send.
    /// </summary>
    public void HoldWrites() => _held ??= new ArrayBufferWriter<byte>(256);

    /// <summary>Sends what was held, in one write, and stops holding.</summary>
    public async ValueTask SendHeldAsync(CancellationToken cancellationToken)
    {
        if (_held is not { } held)
        {
            return;
        }
        _held = null;
        if (held.WrittenCount > 0)
        {
            await Inner.WriteAsync(held.WrittenMemory, cancellationToken);
            await Inner.FlushAsync(cancellationToken);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_held is { } held)
        {
            held.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
        return Inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _held is null ? Inner.FlushAsync(cancellationToken) : Task.CompletedTask;
}
