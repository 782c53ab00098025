namespace Postern.Bench;

/// <summary>A TLS session (ticket) a worker offers to resume; owns one OpenSSL reference.</summary>
internal sealed class TlsSession(IntPtr handle) : IDisposable
{
    public IntPtr Handle { get; private set; } = handle;

    public void Dispose()
    {
        if (Handle != IntPtr.Zero)
        {
            OpenSsl.SessionFree(Handle);
            Handle = IntPtr.Zero;
        }
    }
}
