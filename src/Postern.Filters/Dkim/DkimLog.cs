using Microsoft.Extensions.Logging;

namespace Postern.Filters.Dkim;

/// <summary>The signer's mail-log lines.</summary>
internal static partial class DkimLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "DKIM-Signature added: d={Domain}, s={Selector}, a={Algorithm}, c={Canonicalization}, msgid={MessageId}, daemon={Listener}, relay=[{Client}]")]
    public static partial void Signed(ILogger logger, string domain, string selector, string algorithm, string canonicalization, string messageId, string listener, string client);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "DKIM: not signing for {Domain}: {Reason}, msgid={MessageId}, daemon={Listener}, relay=[{Client}]")]
    public static partial void NotSigned(ILogger logger, string domain, string reason, string messageId, string listener, string client);

    [LoggerMessage(EventId = 702, Level = LogLevel.Error, Message = "DKIM: signing for {Domain} failed, message refused with 451: {Reason}, msgid={MessageId}, daemon={Listener}, relay=[{Client}]")]
    public static partial void Failed(ILogger logger, string domain, string reason, string messageId, string listener, string client);
}
