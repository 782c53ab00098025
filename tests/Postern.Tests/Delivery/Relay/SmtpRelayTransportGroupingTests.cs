using Postern.Core.Delivery;
using Postern.Delivery.Relay;
using Postern.Testing.Smtp;
using static Postern.Tests.Delivery.Relay.RelayTestSupport;

namespace Postern.Tests.Delivery.Relay;

public sealed class SmtpRelayTransportGroupingTests
{
    private static readonly byte[] SimpleBody = Body("Subject: hi\r\n\r\nhello\r\n");

    [Fact]
    public async Task Domains_through_one_smart_host_share_one_transaction()
    {
        await using var sink = new SmtpSink();
        var through = new RelayDestination(RelayDestinationStatus.Ok, [sink.Host()], OutboundTlsPolicy.May);
        var router = new FakeRelayRouter().Add("a.example", through).Add("b.example", through);
        var message = Message(SimpleBody, "x@a.example", "y@b.example", "z@a.example");

        var outcomes = await Transport(router).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.All(outcomes, o => Assert.Equal(DeliveryStatus.Delivered, o.Status));
        var received = Assert.Single(sink.Messages);
        Assert.Equal(["RCPT TO:<x@a.example>", "RCPT TO:<y@b.example>", "RCPT TO:<z@a.example>"], received.Recipients);
        Assert.Equal(1, sink.Connections);
        Assert.Equal(1, sink.Commands.Count(c => c.StartsWith("MAIL ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Different_first_hosts_get_their_own_transactions()
    {
        await using var one = new SmtpSink();
        await using var two = new SmtpSink();
        var router = new FakeRelayRouter()
            .Add("a.example", new RelayDestination(RelayDestinationStatus.Ok, [one.Host()], OutboundTlsPolicy.May))
            .Add("b.example", new RelayDestination(RelayDestinationStatus.Ok, [two.Host()], OutboundTlsPolicy.May));
        var message = Message(SimpleBody, "x@a.example", "y@b.example");

        var outcomes = await Transport(router).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.All(outcomes, o => Assert.Equal(DeliveryStatus.Delivered, o.Status));
        Assert.Equal(["RCPT TO:<x@a.example>"], Assert.Single(one.Messages).Recipients);
        Assert.Equal(["RCPT TO:<y@b.example>"], Assert.Single(two.Messages).Recipients);
    }

    [Fact]
    public async Task A_shared_first_host_that_defers_leaves_each_domain_its_own_fallback()
    {
        await using var shared = new SmtpSink(new SinkOptions { FinalReply = "451 4.3.0 try later" });
        await using var backupA = new SmtpSink();
        var router = new FakeRelayRouter()
            .Add("a.example", new RelayDestination(RelayDestinationStatus.Ok, [shared.Host(), backupA.Host()], OutboundTlsPolicy.May))
            .Add("b.example", new RelayDestination(RelayDestinationStatus.Ok, [shared.Host()], OutboundTlsPolicy.May));
        var message = Message(SimpleBody, "x@a.example", "y@b.example");

        var outcomes = await Transport(router).DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(DeliveryStatus.Delivered, outcomes[0].Status);
        Assert.Equal(DeliveryStatus.Deferred, outcomes[1].Status);
        Assert.Empty(shared.Messages);
        Assert.Equal(1, shared.Commands.Count(c => c.StartsWith("MAIL ", StringComparison.Ordinal)));
        Assert.Equal(["RCPT TO:<x@a.example>", "RCPT TO:<y@b.example>"], shared.Commands.Where(c => c.StartsWith("RCPT ", StringComparison.Ordinal)));
        Assert.Equal(["RCPT TO:<x@a.example>"], Assert.Single(backupA.Messages).Recipients);
    }
}
