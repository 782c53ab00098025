using Microsoft.Extensions.Logging;
using Postern.Core.TlsReporting;

namespace Postern.Queue.TlsReports;

/// <summary>
/// The reporting loop of `serve`: every <see cref="SnapshotInterval"/> it saves the counts and,
/// for each period that is over, looks up each counted domain's <c>_smtp._tls</c> record and sends
/// it its report, by mail to the mailto: addresses and by POST to the https: ones. A domain
/// without a record is dropped; a report is sent once to each address, and a try that fails for
/// some address (or for the lookup) is repeated for those only, at most <see cref="MaxAttempts"/>
/// times, spaced so all tries fall within about one interval.
/// </summary>
public sealed class TlsReportSender(
    TlsReportRecorder recorder,
    ITlsRptRecordResolver resolver,
    TlsReportMailer mailer,
    TlsReportPoster poster,
    TlsReportingOptions options,
    TimeProvider clock,
    ILogger logger)
{
    public static readonly TimeSpan SnapshotInterval = TimeSpan.FromSeconds(5);

    public const int MaxAttempts = 5;

    public TlsReportMetrics? Metrics { get; init; }

    /// <summary>Until cancelled; the counts are saved once more on the way out.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await SendDueAsync(cancellationToken);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    logger.SendingFailed(e.Message);
                }
                recorder.Flush();
                await Task.Delay(SnapshotInterval, clock, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            recorder.Flush();
        }
    }

    /// <summary>Sends every report that is due now, one domain after the other.</summary>
    public async Task SendDueAsync(CancellationToken cancellationToken)
    {
        foreach (var due in recorder.TakeDue(clock.GetUtcNow()))
        {
            await SendAsync(due, cancellationToken);
        }
    }

    private async Task SendAsync(DueReport due, CancellationToken cancellationToken)
    {
        var lookup = await resolver.LookupAsync(due.Domain, cancellationToken);
        if (lookup.Status == TlsRptTxtStatus.Failed)
        {
            Retry(due, due.Delivered, lookup.Problem ?? "the _smtp._tls lookup failed");
            return;
        }
        if (lookup.Status == TlsRptTxtStatus.NotFound)
        {
            Drop(due, "no _smtp._tls record");
            return;
        }
        if (!TlsRptRecord.TryParse(lookup.Records, out var record, out var problem))
        {
            Drop(due, "_smtp._tls: " + problem);
            return;
        }
        var gzip = TlsReportBuilder.Gzip(TlsReportBuilder.ToJson(due.Report));
        var delivered = new List<string>(due.Delivered);
        var errors = new List<string>();
        await MailAsync(due, record, gzip, delivered, errors, cancellationToken);
        foreach (var uri in record.HttpsUris.Where(u => !delivered.Contains(u.AbsoluteUri)))
        {
            var error = await poster.PostAsync(uri, gzip, cancellationToken);
            if (error is null)
            {
                delivered.Add(uri.AbsoluteUri);
                logger.ReportSent(due.Report.ReportId, due.Domain, uri.AbsoluteUri, "");
                Metrics?.Sent("https");
            }
            else
            {
                errors.Add($"{uri.AbsoluteUri}: {error}");
                logger.ReportFailed(due.Report.ReportId, due.Domain, uri.AbsoluteUri, error);
                Metrics?.Failed("https");
            }
        }
        if (errors.Count == 0)
        {
            recorder.Complete(due);
        }
        else
        {
            Retry(due, delivered, string.Join("; ", errors));
        }
    }

    private async Task MailAsync(DueReport due, TlsRptRecord record, byte[] gzip, List<string> delivered, List<string> errors, CancellationToken cancellationToken)
    {
        var mailboxes = record.Mailboxes.Where(m => !delivered.Contains("mailto:" + m)).ToList();
        if (mailboxes.Count == 0)
        {
            return;
        }
        var destination = string.Join(",", mailboxes.Select(m => "mailto:" + m));
        try
        {
            var id = await mailer.QueueAsync(due.Report, due.Domain, due.FileName, gzip, mailboxes, cancellationToken);
            delivered.AddRange(mailboxes.Select(m => "mailto:" + m));
            logger.ReportSent(due.Report.ReportId, due.Domain, destination, ", queued as " + id.Value);
            Metrics?.Sent("mail");
        }
        catch (IOException e)
        {
            errors.Add($"{destination}: {e.Message}");
            logger.ReportFailed(due.Report.ReportId, due.Domain, destination, e.Message);
            Metrics?.Failed("mail");
        }
    }

    /// <summary>The domain takes no reports: its counts for the period go.</summary>
    private void Drop(DueReport due, string reason)
    {
        logger.NotReported(due.Domain, due.Report.DateRange.StartDatetime, due.Report.DateRange.EndDatetime, reason);
        recorder.Complete(due);
    }

    private void Retry(DueReport due, IReadOnlyList<string> delivered, string error)
    {
        var attempts = due.Attempts + 1;
        if (attempts >= MaxAttempts)
        {
            logger.GaveUp(due.Report.ReportId, due.Domain, attempts, error);
            recorder.Complete(due);
            return;
        }
        var next = clock.GetUtcNow() + Backoff(attempts, options.Interval);
        logger.WillRetry(due.Report.ReportId, due.Domain, attempts, next.ToString("u", System.Globalization.CultureInfo.InvariantCulture), error);
        recorder.Retry(due, delivered, error, next);
    }

    /// <summary>An eighth of the interval, doubling per try, at most 6 hours: four retries span about one interval.</summary>
    public static TimeSpan Backoff(int attempts, TimeSpan interval)
    {
        var delay = interval / 8 * Math.Pow(2, Math.Max(0, attempts - 1));
        return delay > TimeSpan.FromHours(6) ? TimeSpan.FromHours(6) : delay < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : delay;
    }
}
