using System.Buffers;
using Postern.Server.Connections;

namespace Postern.Server.Tls;

/// <summary>
/// A pass-through stream under SslStream that keeps a copy of the first TLS record the client
/// sends (its ClientHello), so the server can see which versions it offers: .NET's
/// SslClientHelloInfo reports only the legacy version fields, never the supported_versions list.
/// Keeps at most one maximal record, in a pooled buffer returned when recording stops; after that it only forwards.
/// </summary>
internal sealed class ClientHelloRecorder(Stream inner) : ReadObservingStream(inner)
{
    // A TLS record: 5-byte header and at most 2^14 bytes of plaintext handshake data.
    private const int MaxRecord = 5 + (1 << 14);
    private byte[]? _recorded = ArrayPool<byte>.Shared.Rent(MaxRecord);
    private int _length;

    /// <summary>The bytes the client sent first, up to one record; empty once recording stopped.</summary>
    public ReadOnlySpan<byte> Recorded => _recorded is null ? [] : _recorded.AsSpan(0, _length);

    /// <summary>Stops recording and returns the buffer (after the handshake).</summary>
    public void StopRecording()
    {
        if (_recorded is { } recorded)
        {
            _recorded = null;
            ArrayPool<byte>.Shared.Return(recorded);
        }
    }

    protected override void OnRead(ReadOnlySpan<byte> data)
    {
        if (_recorded is { } recorded && _length < MaxRecord)
        {
            var copy = Math.Min(data.Length, MaxRecord - _length);
            data[..copy].CopyTo(recorded.AsSpan(_length));
            _length += copy;
        }
    }
}
