using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Delivery.Local;
using Postern.Delivery.Routing;
using Postern.Policy;
using Postern.Tests.Server;

namespace Postern.Tests.Policy;

/// <summary>
/// DESIGN.md rule 1: source routes, <c>%</c> and <c>!</c> tricks never route mail. Every trick goes
/// from an untrusted client (not in the relay networks, no AUTH, no certificate) through the real
/// session and RCPT parser, the real <see cref="RelayPolicy"/>, and, when accepted, the real
/// <see cref="DeliveryRouter"/> and <see cref="RouteTable"/>: it must be refused, or be delivered
/// to a local mailbox. Each row also pins the exact outcome, which docs/relay-tricks.md lists.
/// Local domains: example.org, localhost and the host name mx.test; users user and alice.
/// </summary>
public sealed class OpenRelayTricksTests
{
    private const string RelayDomain = "relay.test";

    private static readonly string LongLocalPart = new('a', 65);
    private static readonly string LongDomain = string.Join('.', Enumerable.Repeat(new string('d', 60), 5)) + ".test";

    /// <summary>(RCPT argument, SMTPUTF8 on MAIL, expected outcome): a reply prefix, or "local USER" for delivery to that mailbox.</summary>
    private static readonly (string Rcpt, bool Utf8, string Expected)[] Table =
    [
        // The percent hack.
        ("TO:<user%remote.test@example.org>", false, "550 5.1.1"),
        ("TO:<user%remote.test@localhost>", false, "550 5.1.1"),
        ("TO:<user%remote.test>", false, "501 5.1.3"),
        ("TO:<user%remote.test@relay.test>", false, "550 5.7.1"),
        ("TO:<user%remote.test%example.org@example.org>", false, "550 5.1.1"),
        ("TO:<user@remote.test%example.org>", false, "501 5.1.3"),
        // Bang paths (UUCP).
        ("TO:<remote.test!user@example.org>", false, "550 5.1.1"),
        ("TO:<remote.test!user>", false, "501 5.1.3"),
        ("TO:<example.org!remote.test!user@example.org>", false, "550 5.1.1"),
        ("TO:<remote.test!user@relay.test>", false, "550 5.7.1"),
        // '@' in the local part: quoted, escaped, doubled.
        ("TO:<\"user@remote.test\"@example.org>", false, "550 5.1.1"),
        ("TO:<\"user%remote.test\"@example.org>", false, "550 5.1.1"),
        ("TO:<\"user\\@remote.test\"@example.org>", false, "550 5.1.1"),
        ("TO:<\"user@remote.test\">", false, "501 5.1.3"),
        ("TO:<\"user@remote.test\"@relay.test>", false, "550 5.7.1"),
        ("TO:<user\\@remote.test@example.org>", false, "501 5.1.3"),
        ("TO:<user@remote.test@example.org>", false, "501 5.1.3"),
        ("TO:<user@example.org@remote.test>", false, "501 5.1.3"),
        ("TO:<\"user\"@remote.test>", false, "550 5.7.1"),
        // Source routes: dropped (RFC 5321 4.1.1.3), the final address is what counts.
        ("TO:<@example.org:user@remote.test>", false, "550 5.7.1"),
        ("TO:<@example.org,@other.test:user@remote.test>", false, "550 5.7.1"),
        ("TO:<@remote.test:user@example.org>", false, "local user"),
        ("TO:<@example.org:user%remote.test@example.org>", false, "550 5.1.1"),
        // Dots and case.
        ("TO:<user@remote.test.>", false, "501 5.1.3"),
        ("TO:<user@example.org.>", false, "501 5.1.3"),
        ("TO:<user@example.org..>", false, "501 5.1.3"),
        ("TO:<user@.example.org>", false, "501 5.1.3"),
        ("TO:<user@EXAMPLE.ORG>", false, "local user"),
        ("TO:<USER@Example.Org>", false, "local user"),
        ("TO:<user@localhost.remote.test>", false, "550 5.7.1"),
        ("TO:<user@example.org.remote.test>", false, "550 5.7.1"),
        ("TO:<user@relay.test.remote.test>", false, "550 5.7.1"),
        // Address literals and bare IP addresses, ours or not: never relayed, never local.
        ("TO:<user@[127.0.0.1]>", false, "550 5.7.1"),
        ("TO:<user@[IPv6:::1]>", false, "550 5.7.1"),
        ("TO:<user@[ipv6:::ffff:127.0.0.1]>", false, "550 5.7.1"),
        ("TO:<user@[203.0.113.9]>", false, "550 5.7.1"),
        ("TO:<user%remote.test@[127.0.0.1]>", false, "550 5.7.1"),
        ("TO:<user@[127.1]>", false, "501 5.1.3"),
        ("TO:<user@[example.org]>", false, "501 5.1.3"),
        ("TO:<user@127.0.0.1>", false, "550 5.7.1"),
        ("TO:<user@2130706433>", false, "550 5.7.1"),
        // Look-alike and internationalized domains (SMTPUTF8): compared as written, never folded to ours.
        ("TO:<user@ex\u0430mple.org>", true, "550 5.7.1"),
        ("TO:<user@\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45.org>", true, "550 5.7.1"),
        ("TO:<user@example\u3002org>", true, "550 5.7.1"),
        ("TO:<user@rel\u0430y.test>", true, "550 5.7.1"),
        ("TO:<user@\uFF52\uFF45\uFF4C\uFF41\uFF59.test>", true, "550 5.7.1"),
        ("TO:<user@relay\u3002test>", true, "550 5.7.1"),
        ("TO:<user@xn--exmple-4nf.org>", false, "550 5.7.1"),
        ("TO:<user@ex\u0430mple.org>", false, "553 5.6.7"),
        ("TO:<\u00FCser%remote.test@example.org>", false, "553 5.6.7"),
        ("TO:<\u00FCser%remote.test@example.org>", true, "550 5.1.1"),
        // Postmaster, the null path and detail addresses.
        ("TO:<postmaster>", false, "local postmaster"),
        ("TO:<Postmaster>", false, "local postmaster"),
        ("TO:<postmaster%remote.test>", false, "501 5.1.3"),
        ("TO:<>", false, "501 5.1.3"),
        ("TO:<user+remote.test%evil@example.org>", false, "local user"),
        ("TO:<\"user+x@remote.test\"@example.org>", false, "local user"),
        // Parameters and framing.
        ("TO:<user@example.org> ORCPT=rfc822;user@remote.test", false, "local user"),
        ("TO:<user@example.org> <user@remote.test>", false, "501 5.5.4"),
        ("TO:<user@remote.test>@example.org", false, "501 5.1.3"),
        ("TO:user%remote.test@example.org", false, "501 5.1.3"),
        ("TO:<user@remote.test", false, "501 5.1.3"),
        ("TO: <user%remote.test@example.org>", false, "550 5.1.1"),
        ("to:<remote.test!user@example.org>", false, "550 5.1.1"),
        ("TO:<user\0%remote.test@example.org>", false, "500 5.5.2"),
        ("TO:<user@remote.test:25>", false, "501 5.1.3"),
        ("TO:<user\uFF05remote.test@example.org>", true, "550 5.1.1"),
        ("TO:<postmaster@[127.0.0.1]>", false, "550 5.7.1"),
        // Overly long forms.
        ("TO:<" + LongLocalPart + "%remote.test@example.org>", false, "501 5.1.3"),
        ("TO:<user@" + LongDomain + ">", false, "501 5.1.3"),
        ("TO:<user%" + new string('r', 3000) + "@example.org>", false, "500 5.5.2"),
    ];

    public static TheoryData<string, bool, string, bool> Tricks()
    {
        var data = new TheoryData<string, bool, string, bool>();
        foreach (var (rcpt, utf8, expected) in Table)
        {
            data.Add(rcpt, utf8, expected, false);
            data.Add(rcpt, utf8, expected, true);
        }
        return data;
    }

    [Fact]
    public void The_table_has_at_least_25_tricks()
    {
        Assert.True(Table.Length >= 25);
        Assert.Equal(Table.Length, Table.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Tricks))]
    public async Task No_trick_relays_mail_for_an_untrusted_client(string rcpt, bool smtpUtf8, string expected, bool relayDomainConfigured)
    {
        var outcome = await TryAsync(rcpt, smtpUtf8, relayDomainConfigured);

        // The safety property first, then the exact outcome the docs promise.
        Assert.True(outcome.Reply.StartsWith('5') || outcome.Reply.StartsWith("local ", StringComparison.Ordinal), outcome.Reply);
        Assert.StartsWith(expected, outcome.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_harness_sees_relaying_when_it_happens()
    {
        // A control, not a trick: mail for a configured relay domain is relayed, and the check says so.
        var outcome = await TryAsync("TO:<user@relay.test>", smtpUtf8: false, relayDomainConfigured: true);

        Assert.Equal("relayed via route relay.test", outcome.Reply);
    }

    private static async Task<Outcome> TryAsync(string rcpt, bool smtpUtf8, bool relayDomainConfigured)
    {
        var directory = new LocalRecipientDirectory(
            new LocalDeliveryOptions
            {
                Domains = ["example.org", "localhost", "mx.test"],
                Users = ["user", "alice"],
                // Never written: no delivery runs, routing only.
                MailboxRoot = Path.Combine(Path.GetTempPath(), "postern-tricks-unused"),
            },
            aliases: null);
        var policy = new RelayPolicy(
            () => directory,
            new RelayPolicyOptions
            {
                // Some relay network exists; the client (127.0.0.1) is not in it.
                RelayNetworks = [IPNetwork.Parse("192.0.2.0/24")],
                RelayDomains = relayDomainConfigured ? [RelayDomain] : [],
            });
        await using var dialog = await DialogHarness.ConnectAsync(policy, NullLogger.Instance, DialogHarness.DefaultOptions() with { MaxRecipients = 5 });
        await dialog.SendAndExpectAsync("EHLO client.test\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<sender@remote.test>" + (smtpUtf8 ? " SMTPUTF8" : "") + "\r\n", "250 2.1.0");
        await dialog.SendAsync("RCPT " + rcpt + "\r\n");
        var reply = await dialog.ReadReplyAsync();
        if (!reply.StartsWith('2'))
        {
            return new Outcome(reply);
        }
        await dialog.SendAndExpectAsync("DATA\r\n", "354");
        await dialog.SendAndExpectAsync("Subject: trick\r\n\r\nbody\r\n.\r\n", "250 2.0.0");
        var (envelope, _) = Assert.Single(dialog.Queue.Committed);
        return new Outcome(await RouteAsync(directory, envelope));
    }

    /// <summary>Where the real router sends the accepted recipient: a local mailbox, or a next hop from the route table.</summary>
    private static async Task<string> RouteAsync(LocalRecipientDirectory directory, Envelope envelope)
    {
        var recipient = Assert.Single(envelope.Recipients);
        var routes = new RouteTable([new RelayRoute(RelayDomain, NextHop.Parse("[192.0.2.25]"))], smartHost: null);
        var local = new Recorder("local", _ => "");
        var relay = new Recorder("smtp", address => routes.Lookup(address.Domain).Source);
        var router = new DeliveryRouter(() => directory, local, relay);
        var message = new QueuedMessage(QueueId.New(TimeProvider.System), envelope, 0, () => Stream.Null);

        var outcome = Assert.Single(await router.DeliverAsync(message, DeliveryRecipient.AllOf(envelope), CancellationToken.None));

        if (outcome.Mailer == "smtp")
        {
            return "relayed via " + outcome.Relay;
        }
        Assert.Equal("local", outcome.Mailer);
        // The local transport delivers what alias expansion yields: only mailboxes of known users, never a forward.
        var expansion = directory.Expand(recipient.Address);
        Assert.Equal(ExpansionStatus.Ok, expansion.Status);
        var target = Assert.Single(expansion.Targets);
        Assert.Equal(DeliveryTargetKind.Mailbox, target.Kind);
        Assert.True(directory.IsUser(target.Value));
        return "local " + target.Value;
    }

    private sealed record Outcome(string Reply);

    /// <summary>A transport that delivers nothing and reports where each recipient would have gone.</summary>
    private sealed class Recorder(string mailer, Func<Mailbox, string> destination) : ITransport
    {
        public ValueTask<IReadOnlyList<RecipientOutcome>> DeliverAsync(QueuedMessage message, IReadOnlyList<DeliveryRecipient> recipients, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<RecipientOutcome>>(
                [.. recipients.Select(r => new RecipientOutcome(r.Recipient, DeliveryStatus.Delivered, new SmtpReply(250, "2.0.0", "Ok"), mailer, destination(r.Address)))]);
    }
}
