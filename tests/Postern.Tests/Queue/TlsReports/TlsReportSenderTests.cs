using System.IO.Compression;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Postern.Core.TlsReporting;
using Postern.Pki.Tls;
using Postern.Queue.TlsReports;
using Postern.Tests.Server;

namespace Postern.Tests.Queue.TlsReports;

/// <summary>The reporting loop: after a period, by mail and by POST, once, retried within bounds.</summary>
public sealed class TlsReportSenderTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Day = TlsReportTesting.Day;
    private readonly TempSpoolDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(Day.AddHours(2));
    private readonly FakeTlsRptResolver _dns = new();
    private readonly FakeMessageQueue _queue = new();
    private readonly LoopbackHttpsReceiver _receiver = new();

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task After_its_period_the_report_goes_by_mail_and_by_post_once()
    {
        var (recorder, sender, options) = Create();
        _dns.Publish("company-y.example", $"v=TLSRPTv1; rua=mailto:tlsrpt@company-y.example,{_receiver.Uri}");
        recorder.Record(TlsReportTesting.Success("company-y.example", _clock.GetUtcNow()));
        recorder.Record(TlsReportTesting.Failure("company-y.example", _clock.GetUtcNow(), TlsReportResultType.StartTlsNotSupported));

        await sender.SendDueAsync(CancellationToken.None);
        Assert.Empty(_dns.Asked);

        _clock.SetUtcNow(Day.AddDays(1).AddSeconds(1));
        await sender.SendDueAsync(CancellationToken.None);

        var (envelope, bytes) = Assert.Single(_queue.Committed);
        Assert.Equal("tlsrpt@company-x.example", envelope.Sender!.ToString());
        Assert.Equal("tlsrpt@company-y.example", Assert.Single(envelope.Recipients).Address.ToString());
        using var message = MimeMessage.Load(new MemoryStream(bytes));
        Assert.Equal("Report Domain: company-y.example Submitter: company-x.example Report-ID: <20261207T000000Z.company-y.example@company-x.example>", message.Subject);
        Assert.Equal("company-y.example", message.Headers["TLS-Report-Domain"]);
        Assert.Equal("company-x.example", message.Headers["TLS-Report-Submitter"]);
        // RFC 8460 3: reports go out despite the TLS failures they report (RFC 8689 5 header).
        Assert.Equal("No", message.Headers["TLS-Required"]);
        var report = Assert.IsType<MultipartReport>(message.Body);
        Assert.Equal("multipart/report", report.ContentType.MimeType);
        Assert.Equal("tlsrpt", report.ContentType.Parameters["report-type"]);
        Assert.IsType<TextPart>(report[0]);
        var part = Assert.IsType<MimePart>(report[1]);
        Assert.Equal("application/tlsrpt+gzip", part.ContentType.MimeType);
        Assert.Equal("company-x.example!company-y.example!1796601600!1796687999.json.gz", part.FileName);
        using var decoded = new MemoryStream();
        await part.Content!.DecodeToAsync(decoded);
        var fromMail = Gunzip(decoded.ToArray());

        var (contentType, body) = Assert.Single(_receiver.Requests);
        Assert.Equal("application/tlsrpt+gzip", contentType);
        var fromPost = Gunzip(body);
        Assert.Equal(fromMail, fromPost);
        using var json = JsonDocument.Parse(fromPost);
        var policy = Assert.Single(json.RootElement.GetProperty("policies").EnumerateArray().ToList());
        Assert.Equal("company-y.example", policy.GetProperty("policy").GetProperty("policy-domain").GetString());
        Assert.Equal(1, policy.GetProperty("summary").GetProperty("total-failure-session-count").GetInt64());

        // Sent once: nothing is left, on the next pass or on disk.
        _clock.Advance(TimeSpan.FromHours(12));
        await sender.SendDueAsync(CancellationToken.None);
        recorder.Flush();
        Assert.Single(_queue.Committed);
        Assert.Single(_receiver.Requests);
        Assert.Empty(recorder.Snapshot());
        Assert.Empty(Directory.EnumerateFiles(options.Directory));
    }

    [Fact]
    public async Task A_failed_post_is_tried_again_later_and_the_mail_is_not_sent_twice()
    {
        var (recorder, sender, options) = Create();
        _dns.Publish("company-y.example", $"v=TLSRPTv1; rua=mailto:tlsrpt@company-y.example,{_receiver.Uri}");
        recorder.Record(TlsReportTesting.Success("company-y.example", _clock.GetUtcNow()));
        _receiver.Status = 503;
        _clock.SetUtcNow(Day.AddDays(1));

        await sender.SendDueAsync(CancellationToken.None);
        Assert.Single(_queue.Committed);
        Assert.Single(_receiver.Requests);
        var delivery = Assert.Single(Assert.Single(recorder.Snapshot()).Domains).Delivery!;
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(["mailto:tlsrpt@company-y.example"], delivery.Delivered);
        Assert.Contains("HTTP 503", delivery.LastError, StringComparison.Ordinal);
        Assert.Equal(Day.AddDays(1) + TlsReportSender.Backoff(1, options.Interval), delivery.NextAttempt);

        // Not before its time.
        _receiver.Status = 200;
        _clock.Advance(TlsReportSender.Backoff(1, options.Interval) - TimeSpan.FromSeconds(1));
        await sender.SendDueAsync(CancellationToken.None);
        Assert.Single(_receiver.Requests);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await sender.SendDueAsync(CancellationToken.None);
        Assert.Equal(2, _receiver.Requests.Count);
        Assert.Single(_queue.Committed);
        Assert.Empty(recorder.Snapshot());
    }

    [Fact]
    public async Task Reports_are_given_up_after_the_last_try()
    {
        var (recorder, sender, options) = Create();
        _dns.Answers["company-y.example"] = TlsRptTxtLookup.Failed("SERVFAIL");
        recorder.Record(TlsReportTesting.Success("company-y.example", _clock.GetUtcNow()));
        _clock.SetUtcNow(Day.AddDays(1));
        for (var attempt = 1; attempt <= TlsReportSender.MaxAttempts; attempt++)
        {
            await sender.SendDueAsync(CancellationToken.None);
            Assert.Equal(attempt, _dns.Asked.Count);
            _clock.Advance(TlsReportSender.Backoff(attempt, options.Interval));
        }
        Assert.Empty(recorder.Snapshot());
        await sender.SendDueAsync(CancellationToken.None);
        Assert.Equal(TlsReportSender.MaxAttempts, _dns.Asked.Count);
    }

    [Fact]
    public async Task Domains_without_a_usable_record_are_dropped_after_their_period()
    {
        var (recorder, sender, _) = Create();
        _dns.Publish("bad.example", "v=TLSRPTv1; rua=http://insecure.example/");
        recorder.Record(TlsReportTesting.Success("none.example", _clock.GetUtcNow()));
        recorder.Record(TlsReportTesting.Success("bad.example", _clock.GetUtcNow()));
        recorder.Record(TlsReportTesting.Success("later.example", Day.AddDays(1).AddHours(1)));
        _clock.SetUtcNow(Day.AddDays(1).AddHours(2));

        await sender.SendDueAsync(CancellationToken.None);
        Assert.Equal(["none.example", "bad.example"], _dns.Asked);
        Assert.Empty(_queue.Committed);
        var left = Assert.Single(recorder.Snapshot());
        Assert.Equal(Day.AddDays(1), left.Start);
    }

    [Fact]
    public async Task A_receiver_whose_certificate_does_not_chain_to_a_trusted_ca_gets_nothing()
    {
        // The system's CAs only: the receiver's test CA is not among them.
        var (recorder, sender, _) = Create(caFile: null);
        _dns.Publish("company-y.example", $"v=TLSRPTv1; rua={_receiver.Uri}");
        recorder.Record(TlsReportTesting.Success("company-y.example", _clock.GetUtcNow()));
        _clock.SetUtcNow(Day.AddDays(1));

        await sender.SendDueAsync(CancellationToken.None);
        Assert.Empty(_receiver.Requests);
        var delivery = Assert.Single(Assert.Single(recorder.Snapshot()).Domains).Delivery!;
        Assert.Equal(1, delivery.Attempts);
        Assert.Empty(delivery.Delivered);
    }

    [Fact]
    public async Task A_spool_that_cannot_take_the_mail_is_a_failed_try()
    {
        var (recorder, sender, _) = Create();
        _dns.Publish("company-y.example", "v=TLSRPTv1; rua=mailto:tlsrpt@company-y.example");
        recorder.Record(TlsReportTesting.Success("company-y.example", _clock.GetUtcNow()));
        _queue.FailOnBegin = true;
        _clock.SetUtcNow(Day.AddDays(1));

        await sender.SendDueAsync(CancellationToken.None);
        var delivery = Assert.Single(Assert.Single(recorder.Snapshot()).Domains).Delivery!;
        Assert.Contains("No space left on device", delivery.LastError, StringComparison.Ordinal);
    }

    private (TlsReportRecorder Recorder, TlsReportSender Sender, TlsReportingOptions Options) Create(string? caFile = "")
    {
        var options = TlsReportTesting.Options(Path.Combine(_directory.Path, "tls-reports"), caFile: caFile == "" ? _receiver.CaFile : caFile);
        var recorder = new TlsReportRecorder(new TlsReportStore(options.Directory), options, TlsReportLimits.Default, _clock, NullLogger.Instance);
        recorder.Load();
        var poster = new TlsReportPoster(options.HttpsCaFile is { } file ? CaLoader.Load(file, null, []) : null, _clock) { Timeout = TimeSpan.FromSeconds(30) };
        var sender = new TlsReportSender(recorder, _dns, new TlsReportMailer(_queue, options, _clock), poster, options, _clock, NullLogger.Instance);
        return (recorder, sender, options);
    }

    private static string Gunzip(byte[] gzip)
    {
        using var stream = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
