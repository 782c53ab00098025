namespace Postern.Pki.Authority;

/// <summary>A CA operation that failed; the message names the file or the input at fault.</summary>
public sealed class CaException : Exception
{
    public CaException()
    {
    }

    public CaException(string message)
        : base(message)
    {
    }

    public CaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CaException(CaErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public CaErrorKind Kind { get; } = CaErrorKind.BadData;
}
