using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Postern.Config;
using Postern.Core.TlsReporting;
using Postern.Queue.TlsReports;
using Postern.Tests.Queue;
using Postern.Tests.Queue.TlsReports;
using Postern.Tools.TlsReports;

namespace Postern.Tests.Tools.TlsReports;

/// <summary>`postern tls-report show` reads what the daemon saved.</summary>
public sealed class TlsReportShowTests : IDisposable
{
    private static readonly DateTimeOffset Day = TlsReportTesting.Day;
    private readonly TempSpoolDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(Day.AddHours(30));

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Nothing_waiting_is_said_in_one_line()
    {
        var options = TlsReportTesting.Options(Path.Combine(_directory.Path, "tls-reports"));
        var (exit, output, errors) = Show(options, json: false);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal($"No TLS-RPT counts waiting in {options.Directory}.\n", output);
        Assert.Empty(errors);
    }

    [Fact]
    public void The_text_lists_periods_domains_policies_failures_and_report_tries()
    {
        var options = Saved();
        var (exit, output, errors) = Show(options, json: false);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Empty(errors);
        Assert.Equal(
            """
            period 2026-12-07T00:00:00Z to 2026-12-07T23:59:59Z (over, reporting)
              company-y.example: 1 successful, 2 failed sessions
                sts (mx *.mail.company-y.example): 1 successful, 2 failed
                  starttls-not-supported x2: mx2.mail.company-y.example [203.0.113.56] from 2001:db8:abcd:13::1: no STARTTLS
                report: 1 failed try, next 2026-12-08T09:00:00Z: https://r.example/: HTTP 503; delivered to mailto:r@company-y.example
            period 2026-12-08T00:00:00Z to 2026-12-08T23:59:59Z (counting)
              other.example: 1 successful, 0 failed sessions
                no-policy-found: 1 successful, 0 failed
            2 domains in 2 periods

            """,
            output);
    }

    [Fact]
    public void Json_is_the_saved_counts()
    {
        var options = Saved();
        var (exit, output, _) = Show(options, json: true);

        Assert.Equal(ExitCodes.Ok, exit);
        using var json = JsonDocument.Parse(output);
        var periods = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, periods.Count);
        var domain = periods[0].GetProperty("domains")[0];
        Assert.Equal("company-y.example", domain.GetProperty("domain").GetString());
        Assert.Equal(2, domain.GetProperty("policies")[0].GetProperty("failures").GetInt64());
        Assert.Equal("StartTlsNotSupported", domain.GetProperty("policies")[0].GetProperty("details")[0].GetProperty("result").GetString());
        Assert.Equal(1, domain.GetProperty("delivery").GetProperty("attempts").GetInt32());
    }

    [Fact]
    public void An_unreadable_file_is_named_and_left_alone()
    {
        var options = Saved();
        var bad = Path.Combine(options.Directory, "period-20261201T000000Z.json");
        File.WriteAllText(bad, "[");

        var (exit, output, errors) = Show(options, json: false);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.StartsWith($"postern: tls-report: {bad}: ", errors, StringComparison.Ordinal);
        Assert.True(File.Exists(bad));
        Assert.EndsWith("2 domains in 2 periods\n", output, StringComparison.Ordinal);
    }

    private TlsReportingOptions Saved()
    {
        var options = TlsReportTesting.Options(Path.Combine(_directory.Path, "tls-reports"));
        var recorder = new TlsReportRecorder(new TlsReportStore(options.Directory), options, TlsReportLimits.Default, _clock, NullLogger.Instance);
        recorder.Load();
        recorder.Record(TlsReportTesting.Success("company-y.example", Day.AddHours(1)));
        recorder.Record(TlsReportTesting.Failure("company-y.example", Day.AddHours(1), TlsReportResultType.StartTlsNotSupported, detail: "no STARTTLS"));
        recorder.Record(TlsReportTesting.Failure("company-y.example", Day.AddHours(2), TlsReportResultType.StartTlsNotSupported, detail: "no STARTTLS"));
        recorder.Record(new TlsSessionOutcome("other.example", TlsReportPolicyType.NoPolicyFound, [], null, "mx.other.example", null, null, null, null, Day.AddHours(25)));
        var due = Assert.Single(recorder.TakeDue(_clock.GetUtcNow()));
        recorder.Retry(due, ["mailto:r@company-y.example"], "https://r.example/: HTTP 503", Day.AddHours(33));
        recorder.Flush();
        return options;
    }

    private (int Exit, string Output, string Errors) Show(TlsReportingOptions options, bool json)
    {
        var output = new StringWriter { NewLine = "\n" };
        var errors = new StringWriter { NewLine = "\n" };
        var exit = TlsReportShow.Run(options, json, output, errors, _clock);
        return (exit, output.ToString(), errors.ToString());
    }
}
