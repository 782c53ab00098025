using System.Globalization;
using System.Text.Json;
using Postern.Config;
using Postern.Queue.TlsReports;

namespace Postern.Tools.TlsReports;

/// <summary>
/// <c>postern tls-report show [--json]</c>: the TLS-RPT counts waiting to be reported, read from
/// <c>&lt;data_dir&gt;/tls-reports/</c> directly (as <c>queue list</c> reads the spool), so it
/// works with or without a running daemon. Read-only: an unreadable file is named, not moved. The
/// daemon writes its counts every few seconds, so the newest sessions may not show yet.
/// </summary>
public static class TlsReportShow
{
    public static int Run(TlsReportingOptions options, bool json, TextWriter output, TextWriter errors, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        List<PeriodCounts> periods;
        try
        {
            periods = new TlsReportStore(options.Directory).ReadAll((path, reason) => errors.WriteLine($"postern: tls-report: {path}: {reason}"));
        }
        catch (UnauthorizedAccessException e)
        {
            errors.WriteLine($"postern: tls-report: {e.Message}: run as root or the data directory's owner");
            return ExitCodes.NoPermission;
        }
        catch (IOException e)
        {
            errors.WriteLine($"postern: tls-report: {e.Message}");
            return ExitCodes.IoError;
        }
        if (!options.Enabled)
        {
            errors.WriteLine("postern: tls-report: tls_reporting.enabled is false: nothing is counted or sent");
        }
        if (json)
        {
            var context = new TlsReportJsonContext(new JsonSerializerOptions(TlsReportJsonContext.Default.Options) { WriteIndented = true });
            output.WriteLine(JsonSerializer.Serialize(periods, context.ListPeriodCounts));
            return ExitCodes.Ok;
        }
        WriteText(periods, options, output, clock.GetUtcNow());
        return ExitCodes.Ok;
    }

    private static void WriteText(List<PeriodCounts> periods, TlsReportingOptions options, TextWriter output, DateTimeOffset now)
    {
        if (periods.Count == 0)
        {
            output.WriteLine($"No TLS-RPT counts waiting in {options.Directory}.");
            return;
        }
        foreach (var period in periods)
        {
            var state = period.End > now ? "counting" : "over, reporting";
            output.WriteLine($"period {Time(period.Start)} to {Time(period.End.AddSeconds(-1))} ({state})");
            foreach (var domain in period.Domains)
            {
                WriteDomain(domain, output);
            }
            if (period.DroppedSessions > 0)
            {
                output.WriteLine($"  {period.DroppedSessions} sessions not counted: the period's limits were reached");
            }
        }
        var domains = periods.Sum(p => p.Domains.Count);
        output.WriteLine($"{domains} domain{(domains == 1 ? "" : "s")} in {periods.Count} period{(periods.Count == 1 ? "" : "s")}");
    }

    private static void WriteDomain(DomainCounts domain, TextWriter output)
    {
        output.WriteLine($"  {domain.Domain}: {domain.Policies.Sum(p => p.Successes)} successful, {domain.Policies.Sum(p => p.Failures)} failed sessions");
        foreach (var policy in domain.Policies)
        {
            var hosts = policy.MxHosts.Count == 0 ? "" : $" (mx {string.Join(", ", policy.MxHosts)})";
            output.WriteLine($"    {TlsReportNames.PolicyType(policy.Type)}{hosts}: {policy.Successes} successful, {policy.Failures} failed");
            foreach (var row in policy.Details)
            {
                var where = string.Join(' ', new[] { row.ReceivingMx, row.ReceivingIp is null ? null : $"[{row.ReceivingIp}]" }.Where(s => s is not null));
                var from = row.SendingIp is null ? "" : $" from {row.SendingIp}";
                var detail = row.Information is null ? "" : $": {row.Information}";
                output.WriteLine($"      {TlsReportNames.ResultType(row.Result)} x{row.Count}: {where}{from}{detail}");
            }
            if (policy.UnlistedFailures > 0)
            {
                output.WriteLine($"      {policy.UnlistedFailures} more failures without a row (row limit reached)");
            }
        }
        if (domain.Delivery is { } delivery)
        {
            var delivered = delivery.Delivered.Count == 0 ? "" : $"; delivered to {string.Join(", ", delivery.Delivered)}";
            output.WriteLine($"    report: {delivery.Attempts} failed tr{(delivery.Attempts == 1 ? "y" : "ies")}, next {Time(delivery.NextAttempt)}: {delivery.LastError}{delivered}");
        }
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
