namespace Postern.Pki.Certificates;

/// <summary>A CRL that cannot be used: unreadable, from no configured CA, badly signed, or past its nextUpdate.</summary>
public sealed class CrlException : Exception
{
    public CrlException()
    {
    }

    public CrlException(string message)
        : base(message)
    {
    }

    public CrlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
