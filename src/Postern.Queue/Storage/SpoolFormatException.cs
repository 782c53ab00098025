namespace Postern.Queue.Storage;

/// <summary>A spool file that does not pass validation (torn, truncated, wrong version, garbage).</summary>
internal sealed class SpoolFormatException : Exception
{
    public SpoolFormatException()
    {
    }

    public SpoolFormatException(string message)
        : base(message)
    {
    }

    public SpoolFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
