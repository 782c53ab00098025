using System.Globalization;
using System.IO.Compression;
using System.Text.Json;

namespace Postern.Queue.TlsReports;

/// <summary>
/// Makes the RFC 8460 report of one domain's counts for one period, its JSON and its gzip, the
/// report id and the file name convention of section 5.1.
/// </summary>
public static class TlsReportBuilder
{
    public static TlsReport Build(PeriodCounts period, DomainCounts domain, TlsReportingOptions options)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(options);
        var policies = domain.Policies.Select(p => new TlsReportPolicyEntry(
            new TlsReportPolicy(
                TlsReportNames.PolicyType(p.Type),
                p.Strings.Count == 0 ? null : [.. p.Strings],
                domain.Domain,
                p.MxHosts.Count == 0 ? null : [.. p.MxHosts]),
            new TlsReportSummary(p.Successes, p.Failures),
            p.Details.Count == 0 ? null : [.. p.Details.Select(Detail)])).ToList();
        return new TlsReport(
            options.Organization,
            new TlsReportDateRange(Timestamp(period.Start), Timestamp(LastSecond(period))),
            options.Contact,
            ReportId(period, domain.Domain, options.Submitter),
            policies);
    }

    /// <summary>
    /// The same for every try of the same report, so a receiver can tell a repeat from a new report:
    /// the period's start, the policy domain and the submitter.
    /// </summary>
    public static string ReportId(PeriodCounts period, string domain, string submitter) =>
        period.Start.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "." + domain + "@" + submitter;

    /// <summary>Section 5.1: <c>submitter!policy-domain!begin!end.json.gz</c>, times in seconds since the epoch.</summary>
    public static string FileName(PeriodCounts period, string domain, string submitter) =>
        string.Create(CultureInfo.InvariantCulture, $"{submitter}!{domain}!{period.Start.ToUnixTimeSeconds()}!{LastSecond(period).ToUnixTimeSeconds()}.json.gz");

    public static byte[] ToJson(TlsReport report) =>
        JsonSerializer.SerializeToUtf8Bytes(report, TlsReportJsonContext.Default.TlsReport);

    public static byte[] Gzip(byte[] json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(json);
        }
        return buffer.ToArray();
    }

    /// <summary>The period's last whole second, as the RFC's example ends a day at 23:59:59Z.</summary>
    private static DateTimeOffset LastSecond(PeriodCounts period) => period.End.AddSeconds(-1);

    private static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static TlsReportFailureDetail Detail(FailureCounts row) => new(
        TlsReportNames.ResultType(row.Result),
        row.SendingIp,
        row.ReceivingMx,
        row.ReceivingIp,
        row.Count,
        row.Information);
}
