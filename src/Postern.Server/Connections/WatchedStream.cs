namespace Postern.Server.Connections;

/// <summary>A pass-through stream that tells the client's deadline how many bytes the peer sent.</summary>
internal sealed class WatchedStream(Stream inner, ClientDeadline deadline) : ReadObservingStream(inner)
{
    protected override void OnRead(ReadOnlySpan<byte> data) => deadline.Received(data.Length);
}
