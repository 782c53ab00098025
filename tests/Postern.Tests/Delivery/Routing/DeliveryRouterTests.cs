using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Delivery.Routing;

namespace Postern.Tests.Delivery.Routing;

public sealed class DeliveryRouterTests
{
    [Fact]
    public async Task Local_recipients_go_to_the_local_transport_in_one_batch_and_others_are_refused_in_order()
    {
        var local = new RecordingTransport();
        var router = new DeliveryRouter(() => new Domains("example.org"), local);
        var message = TestMessages.Create(
        [
            TestMessages.Recipient("a@remote.test"),
            TestMessages.Recipient("b@example.org"),
            TestMessages.Recipient("c@remote.test"),
            TestMessages.Recipient("d@EXAMPLE.org"),
        ]);

        var outcomes = await router.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), CancellationToken.None);

        Assert.Equal(message.Envelope.Recipients, outcomes.Select(o => o.Recipient));
        Assert.Equal(["b", "d"], Assert.Single(local.Batches).Select(r => r.Address.LocalPart));
        Assert.Equal([1, 3], local.Batches[0].Select(r => r.Index));
        Assert.Equal(["error", "local", "error", "local"], outcomes.Select(o => o.Mailer));
        Assert.Equal("550 5.7.1 Relaying denied", outcomes[0].Reply.ToString());
        Assert.Equal(DeliveryStatus.Failed, outcomes[2].Status);
        Assert.Equal(DeliveryStatus.Delivered, outcomes[3].Status);
    }

    [Fact]
    public async Task Without_local_recipients_the_local_transport_is_not_called()
    {
        var local = new RecordingTransport();
        var router = new DeliveryRouter(() => new Domains("example.org"), local);
        var message = TestMessages.Create([TestMessages.Recipient("a@remote.test")]);

        var outcome = Assert.Single(await router.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), CancellationToken.None));

        Assert.Empty(local.Batches);
        Assert.Equal(DeliveryStatus.Failed, outcome.Status);
    }

    [Fact]
    public async Task With_a_relay_transport_other_domains_go_there_in_one_batch_keeping_order()
    {
        var local = new RecordingTransport("local");
        var relay = new RecordingTransport("smtp");
        var router = new DeliveryRouter(() => new Domains("example.org"), local, relay);
        var message = TestMessages.Create(
        [
            TestMessages.Recipient("a@remote.test"),
            TestMessages.Recipient("b@example.org"),
            TestMessages.Recipient("c@other.test"),
            TestMessages.Recipient("d@[192.0.2.1]"),
        ]);

        var outcomes = await router.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), CancellationToken.None);

        Assert.Equal(message.Envelope.Recipients, outcomes.Select(o => o.Recipient));
        Assert.Equal(["b"], Assert.Single(local.Batches).Select(r => r.Address.LocalPart));
        Assert.Equal(["a", "c"], Assert.Single(relay.Batches).Select(r => r.Address.LocalPart));
        Assert.Equal([0, 2], relay.Batches[0].Select(r => r.Index));
        Assert.Equal(["smtp", "local", "smtp", "error"], outcomes.Select(o => o.Mailer));
        Assert.Equal("550 5.7.1 Relaying denied", outcomes[3].Reply.ToString());
    }

    [Fact]
    public async Task With_a_relay_transport_and_only_local_recipients_the_relay_is_not_called()
    {
        var relay = new RecordingTransport("smtp");
        var router = new DeliveryRouter(() => new Domains("example.org"), new RecordingTransport(), relay);
        var message = TestMessages.Create([TestMessages.Recipient("b@example.org")]);

        await router.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), CancellationToken.None);

        Assert.Empty(relay.Batches);
    }

    private sealed class Domains(string domain) : ILocalRecipients
    {
        public bool IsLocalDomain(string name) => string.Equals(name, domain, StringComparison.OrdinalIgnoreCase);

        public LocalRecipientStatus Lookup(Mailbox mailbox) => LocalRecipientStatus.Known;
    }

    private sealed class RecordingTransport(string mailer = "local") : ITransport
    {
        public List<IReadOnlyList<DeliveryRecipient>> Batches { get; } = [];

        public ValueTask<IReadOnlyList<RecipientOutcome>> DeliverAsync(QueuedMessage message, IReadOnlyList<DeliveryRecipient> recipients, CancellationToken cancellationToken)
        {
            Batches.Add(recipients);
            IReadOnlyList<RecipientOutcome> outcomes = recipients
                .Select(r => new RecipientOutcome(r.Recipient, DeliveryStatus.Delivered, new SmtpReply(250, "2.0.0", "ok"), mailer, r.Address.LocalPart))
                .ToList();
            return ValueTask.FromResult(outcomes);
        }
    }
}
