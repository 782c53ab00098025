using Microsoft.Extensions.Logging;

namespace Postern.Server.Logging;

/// <summary>The mail log lines of DISCARD and QUARANTINE verdicts (sendmail's <c>discard</c> and <c>quarantine=</c>).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "ruleset={Stage}, arg1={Argument}, relay={Relay}, discard, reason={Reason}")]
    public static partial void DiscardVerdict(this ILogger logger, string stage, string argument, string relay, string reason);

    [LoggerMessage(EventId = 141, Level = LogLevel.Information, Message = "ruleset={Stage}, arg1={Argument}, relay={Relay}, quarantine={Reason}")]
    public static partial void QuarantineVerdict(this ILogger logger, string stage, string argument, string relay, string reason);

    [LoggerMessage(EventId = 142, Level = LogLevel.Information, Message = "{QueueId}: discarded, from={Sender}, size={Size}, nrcpts={Recipients}, msgid={MessageId}, daemon={Listener}, relay={Relay}, reason={Reason}")]
    public static partial void MessageDiscarded(this ILogger logger, string queueId, string sender, long size, int recipients, string messageId, string listener, string relay, string reason);

    [LoggerMessage(EventId = 143, Level = LogLevel.Information, Message = "{QueueId}: quarantine={Reason}")]
    public static partial void MessageQuarantined(this ILogger logger, string queueId, string reason);
}
