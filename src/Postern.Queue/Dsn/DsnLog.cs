using Microsoft.Extensions.Logging;

namespace Postern.Queue.Dsn;

/// <summary>The DSN lines of the mail log, sendmail style (<c>id: bounceid: DSN: User unknown</c>).</summary>
internal static partial class DsnLog
{
    [LoggerMessage(EventId = 3030, Level = LogLevel.Information, Message = "{QueueId}: {BounceId}: DSN: {Reason}")]
    public static partial void BounceSent(this ILogger logger, string queueId, string bounceId, string reason);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Information, Message = "{QueueId}: {BounceId}: postmaster notify: {Reason}")]
    public static partial void PostmasterNotified(this ILogger logger, string queueId, string bounceId, string reason);

    [LoggerMessage(EventId = 3032, Level = LogLevel.Information, Message = "{QueueId}: to=<{Recipient}>, no DSN (NOTIFY={Notify}), stat={Reply}")]
    public static partial void NotRequested(this ILogger logger, string queueId, string recipient, string notify, string reply);

    [LoggerMessage(EventId = 3033, Level = LogLevel.Warning,
        Message = "{QueueId}: to=<{Recipient}>, undeliverable bounce to the postmaster dropped (no double bounce loop), stat={Reply}")]
    public static partial void DoubleBounceDropped(this ILogger logger, string queueId, string recipient, string reply);

    [LoggerMessage(EventId = 3034, Level = LogLevel.Information, Message = "{QueueId}: {ReportId}: DSN ({Action}): {Reason}")]
    public static partial void NoticeSent(this ILogger logger, string queueId, string reportId, string action, string reason);
}
