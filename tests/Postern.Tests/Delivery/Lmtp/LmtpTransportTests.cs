using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Delivery.Lmtp;

namespace Postern.Tests.Delivery.Lmtp;

public sealed class LmtpTransportTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static LmtpTransport Transport(string transport, TimeProvider? time = null, LmtpOptions? options = null) =>
        new(LmtpEndpoint.Parse(transport), options ?? new LmtpOptions { LhloName = "mx.example.org" }, time ?? TimeProvider.System, NullLogger<LmtpTransport>.Instance);

    private static async Task<IReadOnlyList<RecipientOutcome>> DeliverAsync(LmtpTransport transport, QueuedMessage message) =>
        await transport.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), CancellationToken.None);

    private static QueuedMessage Message(params string[] recipients) =>
        TestMessages.Create([.. recipients.Select(TestMessages.Recipient)]);

    [Fact]
    public async Task Each_recipient_gets_its_own_reply_after_DATA()
    {
        await using var server = ScriptedLmtpServer.StartTcp();
        server.DataReplies["full@virt.test"] = "452 4.2.2 <full@virt.test> Mailbox is full";
        server.DataReplies["gone@virt.test"] = "550 5.2.1 <gone@virt.test> Mailbox disabled";
        server.RcptReplies["nobody@virt.test"] = "550 5.1.1 <nobody@virt.test> User doesn't exist";

        var outcomes = await DeliverAsync(Transport(server.Transport), Message("ok@virt.test", "full@virt.test", "nobody@virt.test", "gone@virt.test"));

        Assert.Equal(
            [DeliveryStatus.Delivered, DeliveryStatus.Deferred, DeliveryStatus.Failed, DeliveryStatus.Failed],
            outcomes.Select(o => o.Status));
        Assert.Equal("250 2.0.0 <ok@virt.test> Saved", outcomes[0].Reply.ToString());
        Assert.Equal(452, outcomes[1].Reply.Code);
        Assert.Equal("550 5.1.1 <nobody@virt.test> User doesn't exist", outcomes[2].Reply.ToString());
        Assert.Equal(550, outcomes[3].Reply.Code);
        Assert.All(outcomes, o => Assert.Equal("lmtp", o.Mailer));
        Assert.All(outcomes, o => Assert.Equal($"[127.0.0.1]:{server.Port}", o.Relay));
        Assert.Equal(["ok@virt.test", "full@virt.test", "nobody@virt.test", "gone@virt.test"], outcomes.Select(o => o.Recipient.Address.ToString()));
        Assert.Equal(TestMessages.Body, System.Text.Encoding.Latin1.GetBytes(Assert.Single(server.Messages)));
    }

    [Fact]
    public async Task With_pipelining_MAIL_the_RCPTs_and_DATA_go_in_one_write()
    {
        await using var server = ScriptedLmtpServer.StartTcp();

        await DeliverAsync(Transport(server.Transport), Message("a@virt.test", "b@virt.test"));

        Assert.Contains("MAIL FROM:<sender@remote.test>|RCPT TO:<a@virt.test>|RCPT TO:<b@virt.test>|DATA", server.Reads);
        Assert.StartsWith("LHLO mx.example.org", server.Commands.First(), StringComparison.Ordinal);
        Assert.Equal("QUIT", server.Commands.Last());
    }

    [Fact]
    public async Task Without_pipelining_each_command_waits_for_its_reply()
    {
        await using var server = ScriptedLmtpServer.StartTcp();
        server.Keywords.Clear();
        server.RcptReplies["b@virt.test"] = "550 5.1.1 unknown";

        var outcomes = await DeliverAsync(Transport(server.Transport), Message("a@virt.test", "b@virt.test"));

        Assert.Equal([DeliveryStatus.Delivered, DeliveryStatus.Failed], outcomes.Select(o => o.Status));
        Assert.Equal(["LHLO mx.example.org", "MAIL FROM:<sender@remote.test>", "RCPT TO:<a@virt.test>", "RCPT TO:<b@virt.test>", "DATA", "QUIT"], server.Reads);
    }

    [Fact]
    public async Task No_recipient_accepted_sends_no_message()
    {
        await using var server = ScriptedLmtpServer.StartTcp();
        server.RcptReplies["a@virt.test"] = "550 5.1.1 unknown";

        var outcomes = await DeliverAsync(Transport(server.Transport), Message("a@virt.test"));

        Assert.Equal(DeliveryStatus.Failed, Assert.Single(outcomes).Status);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task Delivers_over_a_unix_socket()
    {
        await using var server = ScriptedLmtpServer.StartUnix(_temp.Combine("lmtp"));
        server.Keywords.Add("STARTTLS");

        var outcomes = await DeliverAsync(Transport(server.Transport), Message("a@virt.test"));

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.Equal("unix:" + _temp.Combine("lmtp"), outcomes[0].Relay);
        // Never TLS on a local socket, offered or not.
        Assert.Equal(0, server.TlsSessions);
        Assert.DoesNotContain("STARTTLS", server.Commands);
    }

    [Fact]
    public async Task Uses_STARTTLS_on_TCP_when_offered_and_says_LHLO_again()
    {
        await using var server = ScriptedLmtpServer.StartTcp();
        server.Keywords.Add("STARTTLS");

        var outcomes = await DeliverAsync(Transport(server.Transport), Message("a@virt.test"));

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.Equal(1, server.TlsSessions);
        Assert.Equal(["LHLO mx.example.org", "STARTTLS", "LHLO mx.example.org"], server.Commands.Take(3));
    }

    [Fact]
    public async Task A_failed_handshake_is_tried_again_in_plaintext()
    {
        await using var server = ScriptedLmtpServer.StartTcp();
        server.Keywords.Add("STARTTLS");
        server.BreakTls = true;

        var outcomes = await DeliverAsync(Transport(server.Transport), Message("a@virt.test"));

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.Equal(2, server.Connections);
        Assert.Single(server.Messages);
    }

    [Fact]
    public async Task A_server_that_is_down_defers_every_recipient()
    {
        int port;
        await using (var gone = ScriptedLmtpServer.StartTcp())
        {
            port = gone.Port;
        }

        var outcomes = await DeliverAsync(Transport($"lmtp:[127.0.0.1]:{port}"), Message("a@virt.test", "b@virt.test"));

        Assert.All(outcomes, o => Assert.Equal(DeliveryStatus.Deferred, o.Status));
        Assert.All(outcomes, o => Assert.Equal("4.4.1", o.Reply.Status?.ToString()));
    }

    [Fact]
    public async Task A_missing_unix_socket_defers()
    {
        var outcomes = await DeliverAsync(Transport("lmtp:unix:" + _temp.Combine("absent")), Message("a@virt.test"));

        Assert.Equal(DeliveryStatus.Deferred, Assert.Single(outcomes).Status);
    }

    [Fact]
    public async Task A_refused_greeting_defers_even_when_permanent()
    {
        await using var server = ScriptedLmtpServer.StartTcp();
        server.Greeting = "554 5.3.2 not now";

        var outcomes = await DeliverAsync(Transport(server.Transport), Message("a@virt.test"));

        Assert.Equal(DeliveryStatus.Deferred, Assert.Single(outcomes).Status);
        Assert.Contains("554 5.3.2 not now", outcomes[0].Reply.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_lost_after_some_replies_keeps_them_and_defers_the_rest()
    {
        await using var server = ScriptedLmtpServer.StartTcp();
        server.DropAfterFirstDataReply = true;

        var outcomes = await DeliverAsync(Transport(server.Transport), Message("a@virt.test", "b@virt.test"));

        Assert.Equal([DeliveryStatus.Delivered, DeliveryStatus.Deferred], outcomes.Select(o => o.Status));
    }

    [Fact]
    public async Task A_server_that_stalls_after_DATA_is_given_up_at_the_deadline()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var server = ScriptedLmtpServer.StartTcp();
        server.StallAfterData = new TaskCompletionSource();
        var options = new LmtpOptions { LhloName = "mx.example.org", DataTimeout = TimeSpan.FromMinutes(10) };

        var delivery = DeliverAsync(Transport(server.Transport, time, options), Message("a@virt.test"));
        await server.MessageRead.Task.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 100 && !delivery.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await Task.WhenAny(delivery, Task.Delay(50));
        }
        var outcomes = await delivery.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(DeliveryStatus.Deferred, Assert.Single(outcomes).Status);
        Assert.Contains("no answer", outcomes[0].Reply.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DSN_requests_are_passed_on_only_to_a_server_that_offers_DSN()
    {
        await using var server = ScriptedLmtpServer.StartTcp();
        server.Keywords.Add("DSN");
        var recipient = TestMessages.Recipient("a@virt.test") with { Notify = DsnNotify.Success, OriginalRecipient = "rfc822;A@virt.test" };
        var message = TestMessages.Create([recipient]);

        var outcomes = await DeliverAsync(Transport(server.Transport), message);

        Assert.Contains("RCPT TO:<a@virt.test> NOTIFY=SUCCESS ORCPT=rfc822;A@virt.test", server.Commands);
        Assert.False(outcomes[0].NextHopLacksDsn);
    }

    [Fact]
    public async Task Without_DSN_the_delivery_is_reported_by_Postern()
    {
        await using var server = ScriptedLmtpServer.StartTcp();
        var recipient = TestMessages.Recipient("a@virt.test") with { Notify = DsnNotify.Success };

        var outcomes = await DeliverAsync(Transport(server.Transport), TestMessages.Create([recipient]));

        Assert.Contains("RCPT TO:<a@virt.test>", server.Commands);
        Assert.True(outcomes[0].NextHopLacksDsn);
    }

    [Fact]
    public async Task A_message_over_the_advertised_SIZE_fails_without_a_transaction()
    {
        await using var server = ScriptedLmtpServer.StartTcp();
        server.Keywords.Add("SIZE 10");

        var outcomes = await DeliverAsync(Transport(server.Transport), Message("a@virt.test"));

        Assert.Equal(DeliveryStatus.Failed, Assert.Single(outcomes).Status);
        Assert.Equal(552, outcomes[0].Reply.Code);
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Named_mailboxes_go_as_RCPT_TO_and_outcomes_name_the_envelope_recipients()
    {
        await using var server = ScriptedLmtpServer.StartTcp();
        var message = Message("Alias@virt.test");
        var deliveries = new[] { new LmtpDelivery(message.Envelope.Recipients[0], "box1@store.test") };

        var outcomes = await Transport(server.Transport).DeliverAsync(message, deliveries, passDsn: false, CancellationToken.None);

        Assert.Contains("RCPT TO:<box1@store.test>", server.Commands);
        Assert.Equal("Alias@virt.test", outcomes[0].Recipient.Address.ToString());
        Assert.False(outcomes[0].NextHopLacksDsn);
    }

    [Fact]
    public async Task A_mailbox_name_that_cannot_go_on_a_command_line_fails_alone()
    {
        await using var server = ScriptedLmtpServer.StartTcp();
        var message = Message("a@virt.test", "b@virt.test");
        var deliveries = new[]
        {
            new LmtpDelivery(message.Envelope.Recipients[0], "bad>\r\nRSET"),
            new LmtpDelivery(message.Envelope.Recipients[1], "b@virt.test"),
        };

        var outcomes = await Transport(server.Transport).DeliverAsync(message, deliveries, passDsn: true, CancellationToken.None);

        Assert.Equal([DeliveryStatus.Failed, DeliveryStatus.Delivered], outcomes.Select(o => o.Status));
        Assert.DoesNotContain("RSET", server.Commands);
    }
}
