using Microsoft.Extensions.Logging;

namespace Postern.Delivery.MtaSts;

/// <summary>The mail log's MTA-STS lines.</summary>
internal static partial class MtaStsLog
{
    [LoggerMessage(EventId = 5201, Level = LogLevel.Information,
        Message = "mta-sts: domain={Domain}, policy id={Id}, mode={Mode}, max_age={MaxAge}, fetched")]
    public static partial void Fetched(ILogger logger, string domain, string id, string mode, long maxAge);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "mta-sts: domain={Domain}, {Problem}")]
    public static partial void Problem(ILogger logger, string domain, string problem);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "mta-sts: policy cache: {Problem}")]
    public static partial void CacheProblem(ILogger logger, string problem);
}
