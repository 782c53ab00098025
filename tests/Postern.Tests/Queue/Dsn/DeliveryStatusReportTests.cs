using System.Text;
using MimeKit;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Queue.Dsn;
using static Postern.Tests.Queue.Dsn.DsnTestData;

namespace Postern.Tests.Queue.Dsn;

public sealed class DeliveryStatusReportTests
{
    private static async Task<MimeMessage> BuildAsync(DeliveryReportRequest request)
    {
        var report = await DeliveryStatusReport.CreateAsync(request, CancellationToken.None);
        Assert.NotNull(report);
        return Parse(Render(report));
    }

    [Fact]
    public async Task Failure_report_has_the_headers_and_the_three_parts_with_only_the_failed_recipient()
    {
        var bob = Recipient("bob@example.net", orcpt: "rfc822;Bob@Example.NET");
        var envelope = Envelope(Alice, Recipient("carol@example.net"), bob, Recipient("dave@example.net")) with { EnvelopeId = "ENV-42" };
        var failure = Failed(bob, new SmtpReply(550, "5.1.1", "<bob@example.net>: Recipient address rejected"), "esmtp", "mx.example.net. [192.0.2.7]");

        var bounce = await BuildAsync(new DeliveryReportRequest(Message(envelope), [failure], DsnAction.Failed, Host, Now));

        Assert.Equal("Mail Delivery System", ((MailboxAddress)bounce.From.Single()).Name);
        Assert.Equal("MAILER-DAEMON@mx.test", ((MailboxAddress)bounce.From.Single()).Address);
        Assert.Equal("alice@example.org", ((MailboxAddress)bounce.To.Single()).Address);
        Assert.Equal("Undelivered Mail Returned to Sender", bounce.Subject);
        Assert.Equal("auto-replied", bounce.Headers["Auto-Submitted"]);
        Assert.Equal(Now, bounce.Date);
        Assert.False(string.IsNullOrEmpty(bounce.MessageId));

        var (text, status, original) = Parts(bounce);
        Assert.Contains("<bob@example.net>: 550 5.1.1 <bob@example.net>: Recipient address rejected", text.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("carol", text.Text, StringComparison.Ordinal);

        Assert.Equal(2, status.StatusGroups.Count(g => g.Count > 0));
        var perMessage = status.StatusGroups[0];
        Assert.Equal("dns; mx.test", perMessage["Reporting-MTA"]);
        Assert.Equal("ENV-42", perMessage["Original-Envelope-Id"]);
        Assert.Equal(Arrival, ParseDate(perMessage["Arrival-Date"]));

        var fields = status.StatusGroups[1];
        Assert.Equal("rfc822; bob@example.net", fields["Final-Recipient"]);
        Assert.Equal("rfc822;Bob@Example.NET", fields["Original-Recipient"]);
        Assert.Equal("failed", fields["Action"]);
        Assert.Equal("5.1.1", fields["Status"]);
        Assert.Equal("dns; mx.example.net", fields["Remote-MTA"]);
        Assert.Equal("smtp; 550 5.1.1 <bob@example.net>: Recipient address rejected", fields["Diagnostic-Code"]);
        Assert.Equal(Now, ParseDate(fields["Last-Attempt-Date"]));

        Assert.IsType<MessagePart>(original);
    }

    [Fact]
    public async Task Local_failure_has_no_Remote_MTA_nor_envelope_id_and_derives_the_status_from_the_reply_class()
    {
        var bob = Recipient("bob@example.net");
        var failure = Failed(bob, SmtpReply.WithoutStatus(554, "mailbox full"));

        var bounce = await BuildAsync(new DeliveryReportRequest(Message(Envelope(Alice, bob)), [failure], DsnAction.Failed, Host, Now));

        var (_, status, _) = Parts(bounce);
        Assert.False(status.StatusGroups[0].Contains("Original-Envelope-Id"));
        var fields = status.StatusGroups[1];
        Assert.Equal("5.0.0", fields["Status"]);
        Assert.False(fields.Contains("Remote-MTA"));
        Assert.False(fields.Contains("Original-Recipient"));
        Assert.Equal("smtp; 554 mailbox full", fields["Diagnostic-Code"]);
    }

    [Fact]
    public async Task A_reply_with_line_breaks_cannot_add_fields()
    {
        var bob = Recipient("bob@example.net");
        var failure = Failed(bob, new SmtpReply(550, new EnhancedStatusCode(5, 7, 1), "Rejected", "Action: delivered"));

        var bounce = await BuildAsync(new DeliveryReportRequest(Message(Envelope(Alice, bob)), [failure], DsnAction.Failed, Host, Now));

        var fields = Parts(bounce).Status.StatusGroups[1];
        Assert.Equal("failed", fields["Action"]);
        Assert.Equal("smtp; 550 5.7.1 Rejected Action: delivered", fields["Diagnostic-Code"]);
    }

    [Theory]
    [InlineData(DsnReturn.Full)]
    [InlineData(DsnReturn.Unspecified)]
    public async Task Ret_full_or_unspecified_returns_the_whole_original_unchanged(DsnReturn ret)
    {
        var bob = Recipient("bob@example.net");
        var envelope = Envelope(Alice, bob) with { Return = ret };

        var bounce = await BuildAsync(new DeliveryReportRequest(Message(envelope), [Failed(bob)], DsnAction.Failed, Host, Now));

        var part = Assert.IsType<MessagePart>(Parts(bounce).Original);
        Assert.Equal("message/rfc822", part.ContentType.MimeType);
        Assert.Equal(Original, Encoding.UTF8.GetString(Render(part.Message!)));
    }

    [Fact]
    public async Task Ret_hdrs_returns_only_the_header_section()
    {
        var bob = Recipient("bob@example.net");
        var envelope = Envelope(Alice, bob) with { Return = DsnReturn.Headers };

        var request = new DeliveryReportRequest(Message(envelope), [Failed(bob)], DsnAction.Failed, Host, Now);
        var bytes = Render((await DeliveryStatusReport.CreateAsync(request, CancellationToken.None))!);
        var bounce = Parse(bytes);

        var part = Assert.IsType<TextRfc822Headers>(Parts(bounce).Original);
        Assert.Equal("text/rfc822-headers", part.ContentType.MimeType);
        Assert.Equal("Lunch", part.Message!.Subject);
        Assert.Equal("lunch-1@example.org", part.Message!.MessageId);
        var raw = Encoding.UTF8.GetString(bytes);
        Assert.Contains("Message-ID: <lunch-1@example.org>\r\n", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Shall we meet", raw, StringComparison.Ordinal);
    }

    // Found by fuzzing (fuzz/corpus/dsn): a client may send a message whose first line is no
    // header field; the report failed to build (MimeKit's FormatException), so the sender never
    // got the bounce and the queue retried the report on every attempt.
    [Theory]
    [InlineData(DsnReturn.Full)]
    [InlineData(DsnReturn.Headers)]
    public async Task An_original_without_a_header_section_is_returned_as_its_lines(DsnReturn ret)
    {
        var bob = Recipient("bob@example.net");
        var envelope = Envelope(Alice, bob) with { Return = ret };
        const string original = "NOOP\r\nMAIL FROM:<admin@localhost>\r\n\r\nbody\r\n";

        var request = new DeliveryReportRequest(Message(envelope, original), [Failed(bob)], DsnAction.Failed, Host, Now);
        var report = await DeliveryStatusReport.CreateAsync(request, CancellationToken.None);

        Assert.NotNull(report);
        var raw = Encoding.UTF8.GetString(Render(report));
        Assert.Matches("Content-Type: text/rfc822-headers\r\n(.+\r\n)*\r\nNOOP\r\nMAIL FROM:<admin@localhost>\r\n\r\n--", raw);
        Assert.DoesNotContain("body", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_above_the_limit_returns_headers_and_is_not_read_past_them()
    {
        var bob = Recipient("bob@example.net");
        var body = Encoding.ASCII.GetBytes(Original.Replace("Shall we meet at noon?\r\n", string.Concat(Enumerable.Repeat("0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\r\n", 5000)), StringComparison.Ordinal));
        var reads = new CountingStream(body);
        var message = new QueuedMessage(QueueId.New(TimeProvider.System), Envelope(Alice, bob), body.Length, () => reads);

        var request = new DeliveryReportRequest(message, [Failed(bob)], DsnAction.Failed, Host, Now) { ReturnLimit = 64 * 1024 };
        var bytes = Render((await DeliveryStatusReport.CreateAsync(request, CancellationToken.None))!);

        var part = Assert.IsType<TextRfc822Headers>(Parts(Parse(bytes)).Original);
        Assert.Equal("Lunch", part.Message!.Subject);
        Assert.True(body.Length > 300_000);
        Assert.True(reads.BytesRead <= 16 * 1024, $"read {reads.BytesRead} bytes of {body.Length}");
        Assert.True(bytes.Length < 8 * 1024);
    }

    [Theory]
    [InlineData(DsnNotify.None, DsnAction.Failed, true)]
    [InlineData(DsnNotify.Failure, DsnAction.Failed, true)]
    [InlineData(DsnNotify.Failure | DsnNotify.Delay, DsnAction.Failed, true)]
    [InlineData(DsnNotify.Never, DsnAction.Failed, false)]
    [InlineData(DsnNotify.Success, DsnAction.Failed, false)]
    [InlineData(DsnNotify.Delay, DsnAction.Failed, false)]
    [InlineData(DsnNotify.None, DsnAction.Delayed, true)]
    [InlineData(DsnNotify.Failure, DsnAction.Delayed, false)]
    [InlineData(DsnNotify.None, DsnAction.Delivered, false)]
    [InlineData(DsnNotify.Success, DsnAction.Delivered, true)]
    [InlineData(DsnNotify.Never, DsnAction.Delivered, false)]
    public void Notify_decides_who_gets_a_report(DsnNotify notify, DsnAction action, bool wanted) =>
        Assert.Equal(wanted, DeliveryStatusReport.Wants(Recipient("bob@example.net", notify), action));

    [Fact]
    public async Task No_report_when_no_listed_recipient_asked_for_one()
    {
        var never = Recipient("bob@example.net", DsnNotify.Never);
        var success = Recipient("carol@example.net", DsnNotify.Success);
        var message = Message(Envelope(Alice, never, success));

        var report = await DeliveryStatusReport.CreateAsync(
            new DeliveryReportRequest(message, [Failed(never), Failed(success)], DsnAction.Failed, Host, Now), CancellationToken.None);

        Assert.Null(report);
    }

    [Fact]
    public async Task No_report_to_the_null_sender()
    {
        var bob = Recipient("bob@example.net");

        var report = await DeliveryStatusReport.CreateAsync(
            new DeliveryReportRequest(Message(Envelope(null, bob)), [Failed(bob)], DsnAction.Failed, Host, Now), CancellationToken.None);

        Assert.Null(report);
    }

    [Fact]
    public async Task Delay_report_names_the_action_and_the_retry_deadline()
    {
        var bob = Recipient("bob@example.net");
        var deferred = Failed(bob, new SmtpReply(451, "4.2.0", "Mailbox busy")) with { Status = DeliveryStatus.Deferred };
        var until = Now.AddDays(5);

        var bounce = await BuildAsync(new DeliveryReportRequest(Message(Envelope(Alice, bob)), [deferred], DsnAction.Delayed, Host, Now) { WillRetryUntil = until });

        Assert.Equal("Delayed Mail (still being retried)", bounce.Subject);
        var fields = Parts(bounce).Status.StatusGroups[1];
        Assert.Equal("delayed", fields["Action"]);
        Assert.Equal("4.2.0", fields["Status"]);
        Assert.Equal(until, ParseDate(fields["Will-Retry-Until"]));
    }

    private static DateTimeOffset ParseDate(string? text)
    {
        Assert.NotNull(text);
        Assert.True(MimeKit.Utils.DateUtils.TryParse(text, out var date), text);
        return date;
    }

    private sealed class CountingStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override int Read(Span<byte> buffer)
        {
            var read = base.Read(buffer);
            BytesRead += read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            BytesRead += read;
            return read;
        }
    }
}
