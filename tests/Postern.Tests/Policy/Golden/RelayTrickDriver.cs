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

namespace Postern.Tests.Policy.Golden;

/// <summary>
/// Runs one row of relay-tricks.cases (DESIGN.md rule 1: source routes, <c>%</c> and <c>!</c> tricks
/// never route mail). The trick goes from an untrusted client (not in the relay networks, no AUTH, no
/// certificate) through the real session and RCPT parser, the real <see cref="RelayPolicy"/>, and, when
/// accepted, the real <see cref="DeliveryRouter"/> and <see cref="RouteTable"/>: it is refused, or
/// delivered to a local mailbox. Local domains: example.org, localhost and the host name mx.test;
/// users user and alice.
/// </summary>
internal static class RelayTrickDriver
{
    public const string RelayDomain = "relay.test";

    /// <summary>The reply to the RCPT, or "local USER" / "relayed via ROUTE" for an accepted recipient.</summary>
    public static async Task<string> TryAsync(string rcpt, bool smtpUtf8, bool relayDomainConfigured) =>
        (await OutcomeAsync(rcpt, smtpUtf8, relayDomainConfigured)).Reply;

    private static async Task<Outcome> OutcomeAsync(string rcpt, bool smtpUtf8, bool relayDomainConfigured)
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
