using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Delivery.Local;
using Postern.Delivery.Routing;
using Postern.Delivery.Virtual;
using Postern.Policy;
using Postern.Tests.Policy.Maps;
using Postern.Tests.Policy.Restrictions;

namespace Postern.Tests.Delivery.Virtual;

/// <summary>
/// Virtual mailbox domains: at RCPT a listed mailbox is accepted from anyone and an unlisted one
/// refused with 550 5.1.1 (never a bounce later), a map that cannot be read defers; at delivery the
/// router sends them to the virtual transport as the mailbox the map names, never relayed onward.
/// </summary>
public sealed class VirtualMailboxTests
{
    private static readonly LocalRecipientDirectory Directory = new(new LocalDeliveryOptions { Domains = ["example.org"], Users = ["alice"], MailboxRoot = "/nonexistent" }, null);

    private static FakeTable Mailboxes() => new("pgsql:virtual_mailboxes", new Dictionary<string, string>
    {
        ["bob@virtual.example"] = "bob@virtual.example",
        ["carol@virtual.example"] = "carol",
        ["dave@hosted.example"] = "dave@store.example",
    });

    private static RelayPolicy Policy(VirtualMailboxes mailboxes) =>
        new(() => Directory, new RelayPolicyOptions(), new PolicyMaps { Recipients = new RecipientTables(() => Directory, null, mailboxes) });

    [Theory]
    [InlineData("bob@virtual.example", "ACCEPT")]
    [InlineData("Bob@Virtual.Example", "ACCEPT")]
    [InlineData("nobody@virtual.example", "550 5.1.1 <nobody@virtual.example>: Recipient address rejected: User unknown")]
    [InlineData("dave@hosted.example", "ACCEPT")]
    [InlineData("bob@elsewhere.example", "550 5.7.1 <bob@elsewhere.example>: Relaying denied")]
    [InlineData("alice@example.org", "ACCEPT")]
    public async Task A_virtual_recipient_is_checked_against_the_mailbox_map_at_rcpt(string recipient, string expected)
    {
        var domains = new FakeTable("pgsql:virtual_domains", new Dictionary<string, string> { ["virtual.example"] = "", ["hosted.example"] = "" });
        var mailboxes = new VirtualMailboxes([], domains, Mailboxes());

        var decision = await Policy(mailboxes).CheckRecipientAsync(RestrictionFixture.Session("203.0.113.9"), null, RestrictionFixture.Address(recipient), default);

        Assert.Equal(expected, RestrictionFixture.Outcome(decision));
    }

    [Fact]
    public async Task Domains_from_the_configuration_list_need_no_table()
    {
        var mailboxes = new VirtualMailboxes(["Virtual.Example"], null, Mailboxes());

        var decision = await Policy(mailboxes).CheckRecipientAsync(RestrictionFixture.Session("203.0.113.9"), null, RestrictionFixture.Address("bob@virtual.example"), default);

        Assert.True(decision.IsAccepted, decision.Reason);
    }

    [Fact]
    public async Task A_mailbox_map_that_cannot_be_read_defers_the_recipient()
    {
        var table = Mailboxes();
        table.Down = true;
        var mailboxes = new VirtualMailboxes(["virtual.example"], null, table);

        var decision = await Policy(mailboxes).CheckRecipientAsync(RestrictionFixture.Session("203.0.113.9"), null, RestrictionFixture.Address("bob@virtual.example"), default);

        Assert.Equal("451 4.3.0 Temporary lookup failure", decision.Reply?.ToString());
    }

    [Fact]
    public async Task The_router_sends_virtual_recipients_to_the_virtual_transport_as_their_mailboxes()
    {
        var local = new Recording("local");
        var lmtp = new Recording("lmtp");
        var relay = new Recording("smtp");
        var router = new DeliveryRouter(() => Directory, local, relay, new VirtualDelivery(new VirtualMailboxes(["virtual.example", "hosted.example"], null, Mailboxes()), lmtp));
        var message = TestMessages.Create(
        [
            TestMessages.Recipient("bob@virtual.example"),
            TestMessages.Recipient("alice@example.org"),
            TestMessages.Recipient("carol@virtual.example"),
            TestMessages.Recipient("gone@virtual.example"),
            TestMessages.Recipient("x@remote.test"),
            TestMessages.Recipient("dave@hosted.example"),
        ]);

        var outcomes = await router.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default);

        Assert.Equal(message.Envelope.Recipients, outcomes.Select(o => o.Recipient));
        Assert.Equal(["bob@virtual.example", "carol@virtual.example", "dave@store.example"], Assert.Single(lmtp.Batches).Select(r => r.Address.ToString()));
        Assert.Equal([0, 2, 5], lmtp.Batches[0].Select(r => r.Index));
        Assert.Equal(["x@remote.test"], Assert.Single(relay.Batches).Select(r => r.Address.ToString()));
        Assert.Equal(["lmtp", "local", "lmtp", "error", "smtp", "lmtp"], outcomes.Select(o => o.Mailer));
        Assert.Equal("550 5.1.1 User unknown", outcomes[3].Reply.ToString());
        Assert.Equal(DeliveryStatus.Failed, outcomes[3].Status);
    }

    [Fact]
    public async Task A_virtual_domain_is_never_relayed_and_an_unreadable_map_defers()
    {
        var table = Mailboxes();
        table.Down = true;
        var lmtp = new Recording("lmtp");
        var relay = new Recording("smtp");
        var router = new DeliveryRouter(() => Directory, new Recording("local"), relay, new VirtualDelivery(new VirtualMailboxes(["virtual.example"], null, table), lmtp));
        var message = TestMessages.Create([TestMessages.Recipient("bob@virtual.example")]);

        var outcome = Assert.Single(await router.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), default));

        Assert.Equal(DeliveryStatus.Deferred, outcome.Status);
        Assert.Equal("451 4.3.0 Temporary lookup failure (pgsql:virtual_mailboxes)", outcome.Reply.ToString());
        Assert.Empty(lmtp.Batches);
        Assert.Empty(relay.Batches);
    }

    [Fact]
    public void A_mailbox_file_is_refused_with_each_error_at_its_line()
    {
        var e = Assert.Throws<VirtualMapException>(() => VirtualMapFile.Parse("# mailboxes\nBob@Virtual.Example bob@virtual.example\n\ncarol@virtual.example\nbob@virtual.example again\n", "virtual", valueRequired: true));

        Assert.Equal(["virtual:4: 'carol@virtual.example' has no value (expected: address mailbox)", "virtual:5: 'bob@virtual.example' is listed twice (first on line 2)"], e.Errors);
    }

    [Fact]
    public async Task A_mailbox_file_answers_by_the_lowercased_address()
    {
        var table = VirtualMapFile.Parse("Bob@Virtual.Example\tbob@virtual.example\n", "virtual", valueRequired: true);
        var mailboxes = new VirtualMailboxes(["virtual.example"], null, table);

        Assert.Equal("bob@virtual.example", (await mailboxes.MailboxOfAsync(new Mailbox("BOB", "virtual.example."), default))?.ToString());
        Assert.Null(await mailboxes.MailboxOfAsync(new Mailbox("eve", "virtual.example"), default));
    }

    private sealed class Recording(string mailer) : ITransport
    {
        public List<IReadOnlyList<DeliveryRecipient>> Batches { get; } = [];

        public ValueTask<IReadOnlyList<RecipientOutcome>> DeliverAsync(QueuedMessage message, IReadOnlyList<DeliveryRecipient> recipients, CancellationToken cancellationToken)
        {
            Batches.Add(recipients);
            IReadOnlyList<RecipientOutcome> outcomes = [.. recipients.Select(r => new RecipientOutcome(r.Recipient, DeliveryStatus.Delivered, new SmtpReply(250, "2.0.0", "ok"), mailer, ""))];
            return ValueTask.FromResult(outcomes);
        }
    }
}
