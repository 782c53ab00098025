using Microsoft.Extensions.Logging;
using Postern.Core.Smtp;

namespace Postern.Server.Logging;

/// <summary>
/// The server's mail log lines, in sendmail's style (one event a line, key=value pairs).
/// AUTH secrets and message contents never reach these methods.
/// </summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "listening on {EndPoint} (listener={Listener}, role={Role})")]
    public static partial void Listening(this ILogger logger, System.Net.EndPoint endPoint, string listener, string role);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "connect from {Relay}, daemon={Listener}")]
    public static partial void Connected(this ILogger logger, string relay, string listener);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "disconnect from {Relay}, daemon={Listener}, commands={Commands}, errors={Errors}, messages={Messages}")]
    public static partial void Disconnected(this ILogger logger, string relay, string listener, int commands, int errors, int messages);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "rejecting connection from {Relay}, daemon={Listener}: {Reason}")]
    public static partial void ConnectionLimited(this ILogger logger, string relay, string listener, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "{QueueId}: from={Sender}, size={Size}, nrcpts={Recipients}, msgid={MessageId}, bodytype={BodyType}, proto={Protocol}, daemon={Listener}, relay={Relay}")]
    public static partial void MessageAccepted(this ILogger logger, string queueId, string sender, long size, int recipients, string messageId, string bodyType, string protocol, string listener, string relay);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "ruleset={Stage}, arg1={Argument}, relay={Relay}, reject={Reply}, reason={Reason}")]
    public static partial void Rejected(this ILogger logger, string stage, string argument, string relay, SmtpReply? reply, string reason);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "{Event} from {Relay}, daemon={Listener}, after {LastCommand}")]
    public static partial void SessionEnded(this ILogger logger, string @event, string relay, string listener, string lastCommand);

    [LoggerMessage(EventId = 107, Level = LogLevel.Error, Message = "{QueueId}: could not queue message from {Relay}: {Reason}")]
    public static partial void QueueWriteFailed(this ILogger logger, string queueId, string relay, string reason);

    [LoggerMessage(EventId = 108, Level = LogLevel.Error, Message = "session with {Relay} failed")]
    public static partial void SessionFailed(this ILogger logger, Exception exception, string relay);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "{Relay}: possible SMTP attack: command={Command}, count={Count}")]
    public static partial void NonSmtpCommand(this ILogger logger, string relay, string command, int count);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "stopped listening on {EndPoint} (listener={Listener})")]
    public static partial void StoppedListening(this ILogger logger, System.Net.EndPoint endPoint, string listener);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "shutdown: {Count} session(s) still open after the grace period; closing them")]
    public static partial void ShutdownForced(this ILogger logger, int count);

    [LoggerMessage(EventId = 113, Level = LogLevel.Information, Message = "STARTTLS=server, relay={Relay}, version={Version}, verify={Verify}, cipher={Cipher}, bits={Bits}/{Bits}")]
    public static partial void StartTls(this ILogger logger, string relay, string version, string verify, string cipher, int bits);

    [LoggerMessage(EventId = 114, Level = LogLevel.Information, Message = "STARTTLS=server, relay={Relay}, version={Version}, verify={Verify}, cipher={Cipher}, bits={Bits}/{Bits}, cert-subject={Subject}, cert-issuer={Issuer}, verifymsg={Reason}")]
    public static partial void StartTlsWithCertificate(this ILogger logger, string relay, string version, string verify, string cipher, int bits, string subject, string issuer, string reason);

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "STARTTLS=server, relay={Relay}, daemon={Listener}, error: handshake failed: {Reason}")]
    public static partial void TlsHandshakeFailed(this ILogger logger, string relay, string listener, string reason);

    [LoggerMessage(EventId = 116, Level = LogLevel.Warning, Message = "STARTTLS=server, relay={Relay}: discarded {Count} bytes of plaintext sent after STARTTLS")]
    public static partial void PlaintextDiscarded(this ILogger logger, string relay, long count);

    [LoggerMessage(EventId = 117, Level = LogLevel.Information, Message = "ETRN {Domain} from {Relay}, daemon={Listener}")]
    public static partial void Etrn(this ILogger logger, string domain, string relay, string listener);

    [LoggerMessage(EventId = 118, Level = LogLevel.Information, Message = "AUTH=server, relay={Relay}, authid={AuthId}, mech={Mechanism}, bits=0{Details}")]
    public static partial void Authenticated(this ILogger logger, string relay, string authId, string mechanism, string details);

    [LoggerMessage(EventId = 119, Level = LogLevel.Warning, Message = "AUTH failure ({Mechanism}): {Reason}: {Detail}{User}, relay={Relay}")]
    public static partial void AuthFailed(this ILogger logger, string mechanism, string reason, string detail, string user, string relay);

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "AUTH=server, relay={Relay}: too many authentication failures ({Scope}: {Limit} in {Window}), closing and blocking")]
    public static partial void AuthLimitReached(this ILogger logger, string relay, string scope, int limit, TimeSpan window);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "AUTH=server, relay={Relay}: refused, client blocked after too many authentication failures until {Until}")]
    private static partial void AuthBlocked(this ILogger logger, string relay, string until);

    /// <summary>The end of the block in ISO 8601 UTC: the same text whatever the culture the logger formats in.</summary>
    public static void AuthBlocked(this ILogger logger, string relay, DateTimeOffset until) =>
        logger.AuthBlocked(relay, until.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));

    [LoggerMessage(EventId = 112, Level = LogLevel.Error, Message = "accept failed on {Listener}")]
    public static partial void AcceptFailed(this ILogger logger, Exception exception, string listener);
}
