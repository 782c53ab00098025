using Microsoft.Extensions.Logging;

namespace Postern.Delivery.Relay;

/// <summary>The relay client's mail log lines, sendmail style. Passwords never appear here.</summary>
internal static partial class RelayLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information,
        Message = "STARTTLS=client, relay={Relay}, version={Version}, verify={Verify}, dane={Dane}, sts={Sts}, cipher={Cipher}, bits={Bits}/{Bits}")]
    public static partial void StartTls(this ILogger logger, string relay, string version, string verify, string dane, string sts, string cipher, int bits);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning,
        Message = "STARTTLS=client, relay={Relay}, verify={Verify}, reason={Reason}")]
    public static partial void ServerCertificateProblem(this ILogger logger, string relay, string verify, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "STARTTLS=client, relay={Relay}, error: {Reason}")]
    public static partial void StartTlsFailed(this ILogger logger, string relay, string reason);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "relay={Relay}, connect failed: {Reason}")]
    public static partial void ConnectFailed(this ILogger logger, string relay, string reason);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "relay={Relay}, connection lost: {Reason}")]
    public static partial void ConnectionLost(this ILogger logger, string relay, string reason);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "AUTH=client, relay={Relay}, authid={AuthId}, mech={Mechanism}, bits=0")]
    public static partial void Authenticated(this ILogger logger, string relay, string authId, string mechanism);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "AUTH=client, relay={Relay}, authid={AuthId}, mech={Mechanism}, failed: {Reason}")]
    public static partial void AuthenticationFailed(this ILogger logger, string relay, string authId, string mechanism, string reason);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "relay={Relay}, session refused: {Reply}")]
    public static partial void SessionRefused(this ILogger logger, string relay, string reply);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Information, Message = "{QueueId}: relay={Relay}, 8-bit message sent to a host without 8BITMIME")]
    public static partial void EightBitWithoutSupport(this ILogger logger, string queueId, string relay);

    [LoggerMessage(EventId = 5030, Level = LogLevel.Warning, Message = "{QueueId}: relay={Relay}, REQUIRETLS not met: {Reply}")]
    public static partial void RequireTlsRefused(this ILogger logger, string queueId, string relay, string reply);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "relay={Relay}, not tried: {Reply}")]
    public static partial void HostSkipped(this ILogger logger, string relay, string reply);
}
