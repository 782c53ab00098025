namespace Postern.Filters.Dkim;

/// <summary>A DKIM key file that cannot be used: unreadable, not PEM, encrypted, an unsupported algorithm or size.</summary>
public sealed class DkimKeyException : Exception
{
    public DkimKeyException()
    {
    }

    public DkimKeyException(string message)
        : base(message)
    {
    }

    public DkimKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
