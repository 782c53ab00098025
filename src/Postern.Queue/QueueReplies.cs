using Postern.Core.Smtp;

namespace Postern.Queue;

/// <summary>
/// Every reply the queue records itself, for a recipient no transport answered for (they reach
/// the mail log, the journal and DSNs).
/// </summary>
internal static class QueueReplies
{
    /// <summary>RFC 2852 R mode: the DELIVERBY deadline has passed, so the message is returned.</summary>
    public static SmtpReply DeliverByExpired { get; } = new(554, new EnhancedStatusCode(5, 4, 7), "Delivery time expired (DELIVERBY)");

    /// <summary>A pending recipient's delay report before any attempt deferred it.</summary>
    public static SmtpReply Delayed { get; } = new(451, new EnhancedStatusCode(4, 4, 7), "Delivery delayed");

    /// <summary>The transport threw: every recipient asked for is deferred.</summary>
    public static SmtpReply AttemptFailed(string reason) => new(451, new EnhancedStatusCode(4, 3, 0), "Delivery attempt failed: " + MailLogFormat.OneLine(reason));

    /// <summary>The transport answered out of step with what it was asked: every recipient is deferred.</summary>
    public static SmtpReply NoUsableResult { get; } = new(451, new EnhancedStatusCode(4, 3, 0), "Delivery attempt returned no usable result");

    /// <summary>Deferred past the queue lifetime: the recipient fails, with the last error.</summary>
    public static SmtpReply LifetimeExpired(TimeSpan lifetime, SmtpReply last) =>
        new(554, new EnhancedStatusCode(5, 4, 7), $"Delivery time expired after {lifetime}; last error: {MailLogFormat.OneLine(last.ToString())}");

    /// <summary>What a journal entry written without a usable reply (an older or damaged process) is read back as.</summary>
    public static string UnknownFailureText => "Delivery failed";
}
