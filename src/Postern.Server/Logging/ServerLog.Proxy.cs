using Microsoft.Extensions.Logging;

namespace Postern.Server.Logging;

/// <summary>
/// What a proxy listener's header said (refusals use <c>ConnectionLimited</c>, so a closed
/// connection is one line whatever closed it).
/// </summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 160, Level = LogLevel.Debug, Message = "proxy {Proxy} relays client {Client} to {Destination}, daemon={Listener}, header=v{Version}")]
    public static partial void ProxyRelayed(this ILogger logger, string proxy, System.Net.IPEndPoint client, System.Net.IPEndPoint destination, string listener, int version);

    [LoggerMessage(EventId = 161, Level = LogLevel.Debug, Message = "proxy {Proxy} speaks for itself ({What}), daemon={Listener}: its own address stands")]
    public static partial void ProxyUnrelayed(this ILogger logger, string proxy, string what, string listener);
}
