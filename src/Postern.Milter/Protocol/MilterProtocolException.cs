namespace Postern.Milter.Protocol;

/// <summary>The milter broke the protocol: a bad length, an unknown or misplaced reply, a malformed field.</summary>
public sealed class MilterProtocolException : Exception
{
    public MilterProtocolException(string message)
        : base(message)
    {
    }

    public MilterProtocolException()
    {
    }

    public MilterProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
