using Microsoft.Extensions.Logging;

namespace Postern.Milter.Logging;

/// <summary>The milter client's mail log lines, in sendmail's key=value style. Message contents never reach them.</summary>
internal static partial class MilterLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "milter={Milter}, stage={Stage}, relay={Relay}, {Verdict}={Detail}")]
    public static partial void Verdict(this ILogger logger, string milter, string stage, string relay, string verdict, string detail);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "milter={Milter}, stage=eom, relay={Relay}, edits: {Edits}")]
    public static partial void Edited(this ILogger logger, string milter, string relay, string edits);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "milter={Milter}, socket={Socket}, stage={Stage}, relay={Relay}: {Failure}; default_action={Action}")]
    public static partial void Failed(this ILogger logger, string milter, string socket, string stage, string relay, string failure, string action);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "milter={Milter}, stage={Stage}, relay={Relay}: {Problem}")]
    public static partial void Ignored(this ILogger logger, string milter, string stage, string relay, string problem);
}
