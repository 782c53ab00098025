using Microsoft.Extensions.Time.Testing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Testing.Smtp;
using static Postern.Tests.Delivery.Relay.RelayTestSupport;

namespace Postern.Tests.Delivery.Relay;

public sealed class SmtpRelayDeliverByTests
{
    private static readonly byte[] SimpleBody = Body("Subject: hi\r\n\r\nhello\r\n");

    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static QueuedMessage Message(DeliverBy by) =>
        RelayTestSupport.Message(SimpleBody, [TestMessages.Recipient("bob@remote.example")], e => e with { DeliverBy = by });

    [Theory]
    [InlineData(DeliverByMode.Return, true, 300, " BY=300;RT")]
    [InlineData(DeliverByMode.Notify, false, -20, " BY=-20;N")]
    public async Task The_remaining_time_goes_out_when_the_next_hop_offers_deliverby(DeliverByMode mode, bool trace, int seconds, string expected)
    {
        await using var sink = new SmtpSink(new SinkOptions { DeliverBy = "60" });
        var message = Message(new DeliverBy(Now.AddSeconds(seconds), mode, trace));

        var outcomes = await Transport(Route(sink), time: new FakeTimeProvider(Now)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.EndsWith(expected, Assert.Single(sink.Messages).MailFrom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_next_hop_without_deliverby_still_gets_the_message_without_by()
    {
        await using var sink = new SmtpSink();
        var message = Message(new DeliverBy(Now.AddSeconds(300), DeliverByMode.Return, false));

        var outcomes = await Transport(Route(sink), time: new FakeTimeProvider(Now)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.DoesNotContain("BY=", Assert.Single(sink.Messages).MailFrom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_request_no_by_is_sent_even_when_offered()
    {
        await using var sink = new SmtpSink(new SinkOptions { DeliverBy = "60" });
        var message = RelayTestSupport.Message(SimpleBody, "bob@remote.example");

        await Transport(Route(sink)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.DoesNotContain("BY=", Assert.Single(sink.Messages).MailFrom, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Delivery_to_a_hop_without_dsn_is_flagged(bool dsn, bool lacks)
    {
        await using var sink = new SmtpSink(new SinkOptions { Dsn = dsn, RcptReply = a => a.Contains("nobody", StringComparison.Ordinal) ? "550 5.1.1 no" : null });
        var message = RelayTestSupport.Message(SimpleBody, "bob@remote.example", "nobody@remote.example");

        var outcomes = await Transport(Route(sink)).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Delivered, outcomes[0].Status);
        Assert.Equal(lacks, outcomes[0].NextHopLacksDsn);
        Assert.Equal(DeliveryStatus.Failed, outcomes[1].Status);
        Assert.False(outcomes[1].NextHopLacksDsn);
    }
}
