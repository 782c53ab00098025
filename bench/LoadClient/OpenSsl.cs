using System.Runtime.InteropServices;
using System.Text;

namespace Postern.Bench;

/// <summary>
/// The few libssl calls the client needs. The client speaks TLS through OpenSSL directly, as
/// load.py's Python ssl module does: SslStream cannot offer a session of the caller's choosing
/// (.NET drops a TLS 1.3 session from its client cache once used, so a server that does not renew
/// tickets on resumption, like Postfix, would be resumed only every other time), and it builds a
/// certificate chain on every handshake, which costs the client more than the server's side.
/// </summary>
internal static partial class OpenSsl
{
    private const string Ssl = "libssl.so.3";
    private const string Crypto = "libcrypto.so.3";

    public const int ErrorZeroReturn = 6;

    [LibraryImport(Ssl, EntryPoint = "TLS_client_method")]
    public static partial IntPtr TlsClientMethod();

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_new")]
    public static partial IntPtr ContextNew(IntPtr method);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_free")]
    public static partial void ContextFree(IntPtr context);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_set_verify")]
    public static partial void ContextSetVerify(IntPtr context, int mode, IntPtr callback);

    [LibraryImport(Ssl, EntryPoint = "SSL_new")]
    public static partial IntPtr New(IntPtr context);

    [LibraryImport(Ssl, EntryPoint = "SSL_free")]
    public static partial void Free(IntPtr ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_set_fd")]
    public static partial int SetFd(IntPtr ssl, int fd);

    [LibraryImport(Ssl, EntryPoint = "SSL_set_session")]
    public static partial int SetSession(IntPtr ssl, IntPtr session);

    [LibraryImport(Ssl, EntryPoint = "SSL_connect", SetLastError = true)]
    public static partial int Connect(IntPtr ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_read", SetLastError = true)]
    public static partial int Read(IntPtr ssl, ref byte buffer, int count);

    [LibraryImport(Ssl, EntryPoint = "SSL_write", SetLastError = true)]
    public static partial int Write(IntPtr ssl, ref byte buffer, int count);

    [LibraryImport(Ssl, EntryPoint = "SSL_get_error")]
    public static partial int GetError(IntPtr ssl, int result);

    public const int SentShutdown = 1;

    /// <summary>Marks the connection as closed in order (else SSL_free makes its session unresumable).</summary>
    [LibraryImport(Ssl, EntryPoint = "SSL_set_shutdown")]
    public static partial void SetShutdown(IntPtr ssl, int mode);

    [LibraryImport(Ssl, EntryPoint = "SSL_session_reused")]
    public static partial int SessionReused(IntPtr ssl);

    /// <summary>The connection's session with a reference the caller owns (release with <see cref="SessionFree"/>).</summary>
    [LibraryImport(Ssl, EntryPoint = "SSL_get1_session")]
    public static partial IntPtr GetSession(IntPtr ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_SESSION_free")]
    public static partial void SessionFree(IntPtr session);

    [LibraryImport(Crypto, EntryPoint = "ERR_get_error")]
    private static partial ulong ErrorGet();

    [LibraryImport(Crypto, EntryPoint = "ERR_error_string_n")]
    private static partial void ErrorString(ulong error, ref byte buffer, nuint length);

    [LibraryImport(Crypto, EntryPoint = "ERR_clear_error")]
    public static partial void ErrorClear();

    /// <summary>The calling thread's first queued OpenSSL error as text (the queue is cleared).</summary>
    public static string LastError(string what, int code)
    {
        var error = ErrorGet();
        ErrorClear();
        if (error == 0)
        {
            return $"{what}: SSL error {code} (errno {Marshal.GetLastPInvokeError()})";
        }
        var text = new byte[256];
        ErrorString(error, ref text[0], (nuint)text.Length);
        return what + ": " + Encoding.ASCII.GetString(text, 0, Array.IndexOf(text, (byte)0) is var end and >= 0 ? end : text.Length);
    }
}
