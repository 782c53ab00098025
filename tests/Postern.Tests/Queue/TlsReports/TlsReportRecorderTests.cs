using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.TlsReporting;
using Postern.Queue.TlsReports;

namespace Postern.Tests.Queue.TlsReports;

/// <summary>The counts survive a restart: snapshot on flush, read back at start.</summary>
public sealed class TlsReportRecorderTests : IDisposable
{
    private static readonly DateTimeOffset Day = TlsReportTesting.Day;
    private readonly TempSpoolDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(Day.AddHours(5));

    private string Reports => Path.Combine(_directory.Path, "tls-reports");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void What_was_counted_before_a_restart_is_there_after_it()
    {
        var before = Create();
        before.Record(TlsReportTesting.Success("company-y.example", _clock.GetUtcNow()));
        before.Record(TlsReportTesting.Failure("company-y.example", _clock.GetUtcNow(), TlsReportResultType.CertificateExpired));
        before.Record(TlsReportTesting.Success("company-y.example", _clock.GetUtcNow().AddDays(1)));
        before.Flush();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Reports));
        Assert.Equal(["period-20261207T000000Z.json", "period-20261208T000000Z.json"], TempSpoolDirectory.Names(Reports));

        var after = Create();
        var periods = after.Snapshot();
        Assert.Equal([Day, Day.AddDays(1)], periods.Select(p => p.Start));
        var policy = periods[0].Find("company-y.example")!.Policies.Single();
        Assert.Equal((1L, 1L), (policy.Successes, policy.Failures));
        Assert.Equal(TlsReportResultType.CertificateExpired, policy.Details.Single().Result);

        // Counting goes on where it stopped.
        after.Record(TlsReportTesting.Success("company-y.example", _clock.GetUtcNow()));
        Assert.Equal(2, after.Snapshot()[0].Find("company-y.example")!.Policies.Single().Successes);
    }

    [Fact]
    public void Only_changed_periods_are_written_and_nothing_is_written_before_a_flush()
    {
        var recorder = Create();
        recorder.Record(TlsReportTesting.Success("a.example", _clock.GetUtcNow()));
        Assert.Empty(TempSpoolDirectory.Names(Reports));
        recorder.Flush();
        var path = Path.Combine(Reports, "period-20261207T000000Z.json");
        var written = File.GetLastWriteTimeUtc(path);
        File.SetLastWriteTimeUtc(path, written.AddHours(-1));
        recorder.Flush();
        Assert.Equal(written.AddHours(-1), File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void An_unreadable_period_file_is_set_aside_and_the_others_are_read()
    {
        var recorder = Create();
        recorder.Record(TlsReportTesting.Success("a.example", _clock.GetUtcNow()));
        recorder.Flush();
        File.WriteAllText(Path.Combine(Reports, "period-20261201T000000Z.json"), "{not json");

        var after = Create();
        Assert.Single(after.Snapshot());
        Assert.Equal(["period-20261201T000000Z.json.bad", "period-20261207T000000Z.json"], TempSpoolDirectory.Names(Reports));
    }

    [Fact]
    public void Recording_never_throws()
    {
        var recorder = Create();
        recorder.Record(null!);
        recorder.Record(TlsReportTesting.Success("a.example", _clock.GetUtcNow()));
        Assert.Single(recorder.Snapshot());
    }

    private TlsReportRecorder Create()
    {
        var options = TlsReportTesting.Options(Reports);
        var recorder = new TlsReportRecorder(new TlsReportStore(Reports), options, TlsReportLimits.Default, _clock, NullLogger.Instance);
        recorder.Load();
        return recorder;
    }
}
