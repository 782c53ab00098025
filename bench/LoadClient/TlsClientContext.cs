namespace Postern.Bench;

/// <summary>
/// One OpenSSL client context for the whole run: TLS 1.2 and 1.3 as OpenSSL's defaults allow, the
/// server's certificate not verified (bench only: it is self-signed, made for the run), no SNI,
/// as load.py's context.
/// </summary>
internal sealed class TlsClientContext : IDisposable
{
    private const int VerifyNone = 0;

    public TlsClientContext()
    {
        Handle = OpenSsl.ContextNew(OpenSsl.TlsClientMethod());
        if (Handle == IntPtr.Zero)
        {
            throw new InvalidOperationException(OpenSsl.LastError("SSL_CTX_new", 0));
        }
        OpenSsl.ContextSetVerify(Handle, VerifyNone, IntPtr.Zero);
    }

    public IntPtr Handle { get; private set; }

    public void Dispose()
    {
        if (Handle != IntPtr.Zero)
        {
            OpenSsl.ContextFree(Handle);
            Handle = IntPtr.Zero;
        }
    }
}
