namespace Postern.Queue.TlsReports;

/// <summary>
/// UTC-aligned report periods: a period starts at a whole multiple of the interval since
/// 1970-01-01T00:00:00Z, so a 24h interval gives UTC days, as RFC 8460 section 4.1 expects.
/// </summary>
public static class ReportPeriods
{
    public static DateTimeOffset StartOf(DateTimeOffset at, TimeSpan interval)
    {
        var ticks = at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var aligned = ticks - (((ticks % interval.Ticks) + interval.Ticks) % interval.Ticks);
        return new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + aligned, TimeSpan.Zero);
    }

    /// <summary>The period's file name: <c>period-20261207T000000Z.json</c>.</summary>
    public static string FileName(DateTimeOffset start) =>
        "period-" + start.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture) + ".json";
}
