namespace Postern.Server.Session;

/// <summary>A TLS handshake failed or timed out: the connection is closed, nothing else happens.</summary>
internal sealed class TlsHandshakeException : Exception
{
    public TlsHandshakeException()
    {
    }

    public TlsHandshakeException(string message)
        : base(message)
    {
    }

    public TlsHandshakeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
