using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Core.Stages;
using Postern.Queue.TlsReports;
using Postern.Tests.Server;

namespace Postern.Tests.Queue.TlsReports;

/// <summary>Report mails pass the local submissions' handlers (the DKIM signer) when there are any.</summary>
public sealed class TlsReportMailerTests
{
    private readonly FakeTimeProvider _clock = new(TlsReportTesting.Day.AddDays(1));
    private readonly FakeMessageQueue _queue = new();
    private static readonly Mailbox To = new("tlsrpt", "company-y.example");

    [Fact]
    public async Task With_local_submission_handlers_the_mail_goes_through_them_not_straight_into_the_queue()
    {
        var handlers = new RecordingFilter(LocalSubmissionOutcome.Queued);
        var mailer = new TlsReportMailer(_queue, TlsReportTesting.Options(), _clock) { LocalSubmissions = handlers };

        var id = await mailer.QueueAsync(Report(), "company-y.example", "f.json.gz", [1, 2, 3], [To], CancellationToken.None);

        Assert.Empty(_queue.Committed);
        var (envelope, bytes) = Assert.Single(handlers.Submitted);
        Assert.Equal(handlers.Id, id);
        Assert.Equal("tlsrpt@company-x.example", envelope.Sender!.ToString());
        Assert.Equal(To, Assert.Single(envelope.Recipients).Address);
        using var message = MimeMessage.Load(new MemoryStream(bytes));
        Assert.Equal("company-y.example", message.Headers["TLS-Report-Domain"]);
    }

    [Theory]
    [InlineData(LocalSubmissionOutcome.Refused)]
    [InlineData(LocalSubmissionOutcome.Deferred)]
    [InlineData(LocalSubmissionOutcome.Discarded)]
    public async Task A_report_the_handlers_do_not_queue_is_a_failed_try(LocalSubmissionOutcome outcome)
    {
        var mailer = new TlsReportMailer(_queue, TlsReportTesting.Options(), _clock) { LocalSubmissions = new RecordingFilter(outcome) };

        var error = await Assert.ThrowsAsync<IOException>(() => mailer.QueueAsync(Report(), "company-y.example", "f.json.gz", [1], [To], CancellationToken.None));

        Assert.Contains(outcome.ToString(), error.Message, StringComparison.Ordinal);
    }

    private static TlsReport Report() =>
        new("Company-X", new TlsReportDateRange("2026-12-07T00:00:00Z", "2026-12-07T23:59:59Z"), "c@company-x.example", "r1", []);

    private sealed class RecordingFilter(LocalSubmissionOutcome outcome) : ILocalSubmissionFilter
    {
        public QueueId Id { get; } = QueueId.New(TimeProvider.System);

        public List<(Envelope Envelope, byte[] Bytes)> Submitted { get; } = [];

        public async ValueTask<LocalSubmissionResult> SubmitAsync(LocalSubmissionRequest submission, CancellationToken cancellationToken)
        {
            using var copy = new MemoryStream();
            await submission.Message.CopyToAsync(copy, cancellationToken);
            Submitted.Add((submission.Envelope, copy.ToArray()));
            return new LocalSubmissionResult(outcome, "test") { Id = outcome == LocalSubmissionOutcome.Queued ? Id : null };
        }
    }
}
