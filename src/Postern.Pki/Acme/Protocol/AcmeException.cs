namespace Postern.Pki.Acme.Protocol;

/// <summary>
/// Every failure of the ACME conversation, one family (like MailKit's for SMTP): the server's
/// problem document when it sent one, when it said to try again, and a message fit for one log line.
/// </summary>
public sealed class AcmeException : Exception
{
    public AcmeException(string message, AcmeProblem? problem = null, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        Problem = problem;
        RetryAfter = retryAfter;
    }

    public AcmeException()
    {
    }

    public AcmeException(string message)
        : base(message)
    {
    }

    public AcmeException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The server's problem document, if the failure was the server's answer.</summary>
    public AcmeProblem? Problem { get; }

    /// <summary>The server's Retry-After (rate limits, a busy server), if it sent one.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether the server refused for a rate limit (urn:ietf:params:acme:error:rateLimited).</summary>
    public bool IsRateLimited => Problem?.ShortType == "rateLimited";
}
