using Microsoft.Extensions.Logging;

namespace Postern.Queue.TlsReports;

/// <summary>The TLS-RPT lines of the mail log.</summary>
internal static partial class TlsReportLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "tlsrpt: report {ReportId} for {Domain} sent to {Destination}{Detail}")]
    public static partial void ReportSent(this ILogger logger, string reportId, string domain, string destination, string detail);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "tlsrpt: report {ReportId} for {Domain} not sent to {Destination}: {Reason}")]
    public static partial void ReportFailed(this ILogger logger, string reportId, string domain, string destination, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "tlsrpt: no report for {Domain} ({Start} to {End}): {Reason}")]
    public static partial void NotReported(this ILogger logger, string domain, string start, string end, string reason);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "tlsrpt: report {ReportId} for {Domain}: try {Attempt} failed, next at {Next}: {Reason}")]
    public static partial void WillRetry(this ILogger logger, string reportId, string domain, int attempt, string next, string reason);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "tlsrpt: report {ReportId} for {Domain} given up after {Attempts} tries: {Reason}")]
    public static partial void GaveUp(this ILogger logger, string reportId, string domain, int attempts, string reason);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Error, Message = "tlsrpt: cannot save the counts in {Directory}: {Reason}")]
    public static partial void SaveFailed(this ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Error, Message = "tlsrpt: unreadable period file {File} set aside as .bad: {Reason}")]
    public static partial void Unreadable(this ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Error, Message = "tlsrpt: session not counted: {Reason}")]
    public static partial void NotCounted(this ILogger logger, string reason);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Error, Message = "tlsrpt: sending reports failed: {Reason}")]
    public static partial void SendingFailed(this ILogger logger, string reason);
}
