using Microsoft.Extensions.Logging;

namespace Postern.Server.Logging;

/// <summary>The listener's load: stress mode on and off (connection refusals use <c>ConnectionLimited</c>).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 150, Level = LogLevel.Warning, Message = "stress: {InUse} of {Max} connections in use; command and data timeouts shortened to {Timeout}")]
    public static partial void StressStarted(this ILogger logger, int inUse, int max, string timeout);

    [LoggerMessage(EventId = 151, Level = LogLevel.Information, Message = "stress ended: {InUse} of {Max} connections in use; normal timeouts again")]
    public static partial void StressEnded(this ILogger logger, int inUse, int max);

}
