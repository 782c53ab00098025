using Microsoft.Extensions.Logging;
using Postern.Core.Smtp;

namespace Postern.Server.Logging;

/// <summary>The mail log lines of refusals the session decides itself, and of bare LFs taken as line ends.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 150, Level = LogLevel.Information, Message = "{QueueId}: ruleset={Stage}, arg1={Argument}, relay={Relay}, reject={Reply}, reason={Reason}")]
    public static partial void MessageRejected(this ILogger logger, string queueId, string stage, string argument, string relay, SmtpReply reply, string reason);

    [LoggerMessage(EventId = 151, Level = LogLevel.Information, Message = "{QueueId}: bare LF normalized to CRLF, count={Count}, from={Sender}, relay={Relay}")]
    public static partial void BareNewlineNormalized(this ILogger logger, string queueId, long count, string sender, string relay);

    [LoggerMessage(EventId = 153, Level = LogLevel.Information, Message = "{Relay}: closing after a BDAT command without a readable size, daemon={Listener}, reject={Reply}")]
    public static partial void BdatUnreadable(this ILogger logger, string relay, string listener, SmtpReply reply);

    [LoggerMessage(EventId = 152, Level = LogLevel.Information, Message = "STARTTLS=server, relay={Relay}, daemon={Listener}, reject={Reply}, reason=client_cert require: verify={Verify}, {Reason}")]
    public static partial void CertificateRefused(this ILogger logger, string relay, string listener, SmtpReply reply, string verify, string reason);
}
