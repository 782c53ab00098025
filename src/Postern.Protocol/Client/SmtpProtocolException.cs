namespace Postern.Protocol.Client;

/// <summary>
/// The server broke the protocol (a malformed, over-long or unterminated reply). It is an
/// <see cref="IOException"/> because, to the client, it is a broken connection: defer and go.
/// </summary>
public sealed class SmtpProtocolException : IOException
{
    public SmtpProtocolException()
    {
    }

    public SmtpProtocolException(string message)
        : base(message)
    {
    }

    public SmtpProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
