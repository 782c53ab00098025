namespace Postern.Delivery.Relay;

/// <summary>An authinfo file that cannot be used; the message names the file (and line).</summary>
public sealed class AuthInfoFileException : Exception
{
    public AuthInfoFileException()
    {
    }

    public AuthInfoFileException(string message)
        : base(message)
    {
    }

    public AuthInfoFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
