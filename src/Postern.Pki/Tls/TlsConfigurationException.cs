namespace Postern.Pki.Tls;

/// <summary>The TLS configuration cannot be used (missing file, no key, mismatched key...); the message names the file and the fault.</summary>
public sealed class TlsConfigurationException : Exception
{
    public TlsConfigurationException()
    {
    }

    public TlsConfigurationException(string message)
        : base(message)
    {
    }

    public TlsConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
