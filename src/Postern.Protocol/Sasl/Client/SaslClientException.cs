namespace Postern.Protocol.Sasl.Client;

/// <summary>The server sent a challenge the client mechanism cannot accept (malformed, wrong nonce, bad signature).</summary>
public sealed class SaslClientException : Exception
{
    public SaslClientException()
    {
    }

    public SaslClientException(string message)
        : base(message)
    {
    }

    public SaslClientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
