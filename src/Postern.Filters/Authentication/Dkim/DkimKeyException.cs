namespace Postern.Filters.Authentication.Dkim;

/// <summary>
/// The public key of a signature could not be had: <see cref="Temporary"/> when DNS failed (a
/// temperror), otherwise the record is missing or unusable (a permerror).
/// </summary>
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

    public DkimKeyException(string message, bool temporary)
        : base(message) => Temporary = temporary;

    public bool Temporary { get; }
}
