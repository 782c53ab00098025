namespace Postern.Pki.Acme.Challenges;

/// <summary>
/// A challenge responder could not take its address (in use, not on this host, a port below 1024
/// without the privilege): <c>serve</c> reports it in one line and does not start, as for a listener.
/// </summary>
public sealed class ChallengeBindException : IOException
{
    public ChallengeBindException()
    {
    }

    public ChallengeBindException(string message)
        : base(message)
    {
    }

    public ChallengeBindException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
