using Microsoft.Extensions.Logging;
using Postern.Core.Delivery;
using Postern.Core.Queueing;

namespace Postern.Queue;

/// <summary>The queue's mail log lines, sendmail style (<c>id: to=..., stat=...</c>).</summary>
internal static partial class QueueLog
{
    /// <summary>One recipient's outcome, as the line its status calls for.</summary>
    public static void Outcome(this ILogger logger, QueueId id, RecipientOutcome outcome, string delay)
    {
        var recipient = outcome.Recipient.Address.ToString();
        var dsn = MailLogFormat.Dsn(outcome.Reply);
        var reply = outcome.Reply.ToString();
        switch (outcome.Status)
        {
            case DeliveryStatus.Delivered:
                logger.Sent(id.Value, recipient, delay, outcome.Mailer, outcome.Relay, dsn, reply);
                break;
            case DeliveryStatus.Deferred:
                logger.Deferred(id.Value, recipient, delay, outcome.Mailer, outcome.Relay, dsn, reply);
                break;
            default:
                logger.Failed(id.Value, recipient, delay, outcome.Mailer, outcome.Relay, dsn, reply);
                break;
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "{QueueId}: queued, size={Size}")]
    public static partial void Committed(this ILogger logger, string queueId, long size);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "{Path}: removed unfinished spool file")]
    public static partial void RemovedTempFile(this ILogger logger, string path);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "{QueueId}: moved corrupt spool file to {Path}: {Reason}")]
    public static partial void MovedCorrupt(this ILogger logger, string queueId, string path, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "{QueueId}: corrupt spool file could not be moved aside: {Reason}")]
    public static partial void MoveCorruptFailed(this ILogger logger, Exception exception, string queueId, string reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "ignoring unexpected file {Path} in the spool")]
    public static partial void IgnoredFile(this ILogger logger, string path);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "recovered {Count} queued messages")]
    public static partial void Recovered(this ILogger logger, int count);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "{QueueId}: skipped {Count} unreadable recipient journal lines")]
    public static partial void JournalLinesSkipped(this ILogger logger, string queueId, int count);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "{Path}: removed recipient journal without message")]
    public static partial void RemovedOrphanJournal(this ILogger logger, string path);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information,
        Message = "{QueueId}: to=<{Recipient}>, delay={Delay}, mailer={Mailer}, relay={Relay}, dsn={Dsn}, stat=Sent ({Reply})")]
    public static partial void Sent(this ILogger logger, string queueId, string recipient, string delay, string mailer, string relay, string dsn, string reply);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information,
        Message = "{QueueId}: to=<{Recipient}>, delay={Delay}, mailer={Mailer}, relay={Relay}, dsn={Dsn}, stat=Deferred: {Reply}")]
    public static partial void Deferred(this ILogger logger, string queueId, string recipient, string delay, string mailer, string relay, string dsn, string reply);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information,
        Message = "{QueueId}: to=<{Recipient}>, delay={Delay}, mailer={Mailer}, relay={Relay}, dsn={Dsn}, stat={Reply}")]
    public static partial void Failed(this ILogger logger, string queueId, string recipient, string delay, string mailer, string relay, string dsn, string reply);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information, Message = "{QueueId}: done")]
    public static partial void Done(this ILogger logger, string queueId);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Error, Message = "{QueueId}: delivery attempt failed, recipients deferred: {Reason}")]
    public static partial void TransportError(this ILogger logger, Exception exception, string queueId, string reason);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Error,
        Message = "{QueueId}: transport returned outcomes that do not match the {Expected} recipients asked for; all deferred")]
    public static partial void TransportMismatch(this ILogger logger, string queueId, int expected);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Debug, Message = "{QueueId}: next attempt in {Delay}")]
    public static partial void RetryScheduled(this ILogger logger, string queueId, TimeSpan delay);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Error, Message = "{QueueId}: handing failed recipients to the bounce sink failed: {Reason}")]
    public static partial void BounceFailed(this ILogger logger, Exception exception, string queueId, string reason);

    [LoggerMessage(EventId = 3018, Level = LogLevel.Error, Message = "{QueueId}: processing failed, will retry: {Reason}")]
    public static partial void ProcessingFailed(this ILogger logger, Exception exception, string queueId, string reason);

    [LoggerMessage(EventId = 3026, Level = LogLevel.Warning, Message = "{QueueId}: processing failed, will retry: {Reason}")]
    public static partial void ProcessingFailedOnSystem(this ILogger logger, string queueId, string reason);

    [LoggerMessage(EventId = 3019, Level = LogLevel.Information, Message = "{QueueId}: on hold, not attempted")]
    public static partial void HeldSkipped(this ILogger logger, string queueId);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "{QueueId}: deleted from the queue during the attempt; dropped")]
    public static partial void DeletedDuringAttempt(this ILogger logger, string queueId);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Information, Message = "queue flush for {Domain}: {Count} messages")]
    public static partial void Flushed(this ILogger logger, string domain, int count);
}
