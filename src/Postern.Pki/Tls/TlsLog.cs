using Microsoft.Extensions.Logging;

namespace Postern.Pki.Tls;

internal static partial class TlsLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "reloaded TLS certificates ({Files})")]
    public static partial void Reloaded(ILogger logger, string files);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "TLS certificates not reloaded, keeping the previous ones: {Error}")]
    public static partial void ReloadFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "TLS: {Warning}")]
    public static partial void Warning(ILogger logger, string warning);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "reloaded the TLS client material for relaying ({Files})")]
    public static partial void ClientReloaded(ILogger logger, string files);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Error, Message = "TLS client certificate not reloaded, keeping the previous one: {Error}")]
    public static partial void ClientReloadFailed(ILogger logger, string error);
}
