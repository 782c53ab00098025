namespace Postern.Server.Connections;

/// <summary>A pass-through stream that tells the watchdog whenever the peer sends bytes.</summary>
internal sealed class WatchedStream(Stream inner, ActivityWatchdog watchdog) : ReadObservingStream(inner)
{
    protected override void OnRead(ReadOnlySpan<byte> data) => watchdog.Touch();
}
