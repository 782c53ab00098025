using System.Net;
using System.Text;
using Postern.Cli;
using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Queue;

namespace Postern.Tests.Cli;

public sealed class QueueListFormatTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    [Fact]
    public void An_empty_queue_says_so()
    {
        var output = new StringWriter();

        QueueListFormat.Write(output, [], Utc);

        Assert.Equal("Mail queue is empty\n", Lf(output));
    }

    [Fact]
    public void Lists_in_mailq_columns_with_recipient_states()
    {
        var message = Message(
            "0QbHc1Xk8f2aLmZq",
            new Mailbox("a", "example.org"),
            412,
            new QueueRecipientStatus(Recipient("b@example.net"), QueueRecipientState.Pending, null, null),
            new QueueRecipientStatus(Recipient("c@example.net"), QueueRecipientState.Failed, new SmtpReply(550, "5.1.1", "User unknown"), null));
        var output = new StringWriter();

        QueueListFormat.Write(output, [message, Message("0QbHc2AAAAAAAAAA", null, 1234567, new QueueRecipientStatus(Recipient("d@example.net"), QueueRecipientState.Delivered, null, null))], Utc);

        Assert.Equal(
            """
            -Queue ID-------- --Size-- -----Q-Time----- ------------Sender/Recipient-----------
            0QbHc1Xk8f2aLmZq       412 Mon Nov 23 15:22 <a@example.org>
                                                        <b@example.net>  (pending)
                                                        <c@example.net>  (failed: 550 5.1.1 User unknown)
            0QbHc2AAAAAAAAAA   1234567 Mon Nov 23 15:22 <>
                                                        <d@example.net>  (delivered)
                            Total requests: 2

            """,
            Lf(output));
    }

    [Fact]
    public void A_deferred_recipient_shows_its_last_reply_and_the_message_its_next_attempt()
    {
        var deferred = Message(
            "0QbHc1Xk8f2aLmZq",
            new Mailbox("a", "example.org"),
            412,
            new QueueRecipientStatus(Recipient("b@example.net"), QueueRecipientState.Deferred, new SmtpReply(451, "4.4.1", "Connection refused"), Time)) with
        {
            Attempts = 3,
            NextAttempt = Time.AddMinutes(15),
        };
        var held = Message("0QbHc2AAAAAAAAAA", null, 7, new QueueRecipientStatus(Recipient("d@example.net"), QueueRecipientState.Pending, null, null)) with { Held = true };
        var output = new StringWriter();

        QueueListFormat.Write(output, [deferred, held], Utc);

        Assert.Equal(
            """
            -Queue ID-------- --Size-- -----Q-Time----- ------------Sender/Recipient-----------
            0QbHc1Xk8f2aLmZq       412 Mon Nov 23 15:22 <a@example.org>
                                                        (next attempt Mon Nov 23 15:37, attempts: 3)
                                                        <b@example.net>  (deferred: 451 4.4.1 Connection refused)
            0QbHc2AAAAAAAAAA!        7 Mon Nov 23 15:22 <>
                                                        (on hold: not attempted until `postern queue release`)
                                                        <d@example.net>  (pending)
                            Total requests: 2

            """,
            Lf(output));
    }

    [Fact]
    public void Queue_time_is_shown_in_the_given_zone()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");
        var output = new StringWriter();

        QueueListFormat.Write(output, [Message("0QbHc1Xk8f2aLmZq", null, 1, new QueueRecipientStatus(Recipient("b@example.net"), QueueRecipientState.Pending, null, null))], zone);

        Assert.Contains(" Mon Nov 23 17:22 ", Lf(output), StringComparison.Ordinal);
    }

    [Fact]
    public void Show_prints_envelope_recipients_and_headers()
    {
        var envelope = new Envelope
        {
            Sender = new Mailbox("a", "example.org"),
            Recipients = [new EnvelopeRecipient(new Mailbox("b", "example.net"), DsnNotify.Success | DsnNotify.Failure, "rfc822;b@example.net")],
            Return = DsnReturn.Headers,
            EnvelopeId = "QQ314159",
            Client = new ClientInfo(IPAddress.Loopback, "client.example.org", "ESMTPS", "MTA", "alice"),
            ReceivedAt = Time,
        };
        var message = new QueueMessageInfo(
            QueueId.Parse("0QbHc1Xk8f2aLmZq"), envelope, 99, Time,
            [new QueueRecipientStatus(envelope.Recipients[0], QueueRecipientState.Failed, new SmtpReply(550, "5.1.1", "User unknown"), Time)],
            () => Stream.Null);
        var headers = QueueShowFormat.ReadHeaders(new MemoryStream(Encoding.UTF8.GetBytes("Subject: hi\r\nFrom: a@example.org\r\n\r\nbody line\r\n")));
        var output = new StringWriter();

        QueueShowFormat.Write(output, message, headers, Utc);

        Assert.Equal(
            """
            Queue ID:   0QbHc1Xk8f2aLmZq
            Queued at:  Mon, 23 Nov 2026 15:22:01 +0000
            Size:       99 bytes
            Sender:     <a@example.org>
            Parameters: BODY=7BIT RET=HDRS ENVID=QQ314159
            Client:     [127.0.0.1] (client.example.org), ESMTPS on listener MTA, authenticated as alice
            Recipients:
              <b@example.net>  failed  NOTIFY=SUCCESS,FAILURE  ORCPT=rfc822;b@example.net
                  last reply: 550 5.1.1 User unknown (Mon, 23 Nov 2026 15:22:01 +0000)

            Subject: hi
            From: a@example.org

            """,
            Lf(output));
    }

    private static readonly DateTimeOffset Time = new(2026, 11, 23, 15, 22, 1, TimeSpan.Zero);

    private static QueueMessageInfo Message(string id, Mailbox? sender, long size, params QueueRecipientStatus[] recipients) => new(
        QueueId.Parse(id),
        new Envelope
        {
            Sender = sender,
            Recipients = [.. recipients.Select(r => r.Recipient)],
            Client = new ClientInfo(IPAddress.Loopback, null, "ESMTP", "MTA"),
            ReceivedAt = Time,
        },
        size,
        Time,
        recipients,
        () => Stream.Null);

    private static EnvelopeRecipient Recipient(string address) =>
        new(new Mailbox(address.Split('@')[0], address.Split('@')[1]));

    private static string Lf(StringWriter output) => output.ToString().ReplaceLineEndings("\n");
}
