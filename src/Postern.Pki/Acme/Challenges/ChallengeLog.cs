using System.Net;
using Microsoft.Extensions.Logging;

namespace Postern.Pki.Acme.Challenges;

internal static partial class ChallengeLog
{
    [LoggerMessage(EventId = 4260, Level = LogLevel.Information, Message = "acme: http-01 challenge {Token} answered to {Remote}")]
    public static partial void HttpAnswered(ILogger logger, string token, EndPoint? remote);

    [LoggerMessage(EventId = 4261, Level = LogLevel.Information, Message = "acme: tls-alpn-01 challenge for {Domain} answered to {Remote}")]
    public static partial void TlsAlpnAnswered(ILogger logger, string domain, EndPoint? remote);

    [LoggerMessage(EventId = 4262, Level = LogLevel.Information, Message = "acme: dns-01 record {Owner} TXT published in {Zone} at {Server}")]
    public static partial void DnsPublished(ILogger logger, string owner, string zone, EndPoint server);

    [LoggerMessage(EventId = 4265, Level = LogLevel.Warning, Message = "acme: dns-01: removing {Owner} TXT from {Zone} at {Server} failed: {Error}; the record stays until removed by hand")]
    public static partial void DnsWithdrawFailed(ILogger logger, string owner, string zone, EndPoint server, string error);

    [LoggerMessage(EventId = 4263, Level = LogLevel.Debug, Message = "acme: challenge connection from {Remote} ended: {Error}")]
    public static partial void ConnectionEnded(ILogger logger, EndPoint? remote, string error);

    [LoggerMessage(EventId = 4264, Level = LogLevel.Debug, Message = "acme: accepting a challenge connection on {EndPoint} failed: {Error}")]
    public static partial void AcceptFailed(ILogger logger, EndPoint endPoint, string error);
}
