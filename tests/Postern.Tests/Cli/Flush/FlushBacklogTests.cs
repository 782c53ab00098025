using System.Net;
using Postern.Cli.Flush;
using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Queue;

namespace Postern.Tests.Cli.Flush;

public sealed class FlushBacklogTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static int _next;

    private static QueueMessageInfo Message(string recipient, QueueRecipientState state = QueueRecipientState.Pending, int attempts = 0, bool held = false)
    {
        var mailbox = new Mailbox(recipient.Split('@')[0], recipient.Split('@')[1]);
        var envelope = new Envelope
        {
            Sender = new Mailbox("alice", "example.org"),
            Recipients = [new EnvelopeRecipient(mailbox)],
            Client = new ClientInfo(IPAddress.Loopback, "client.example.org", "ESMTP", "MTA"),
            ReceivedAt = Now,
        };
        var id = QueueId.Parse("0QbHc1Xk8f2aLm" + Interlocked.Increment(ref _next).ToString("D2", System.Globalization.CultureInfo.InvariantCulture));
        return new QueueMessageInfo(id, envelope, 100, Now, [new QueueRecipientStatus(envelope.Recipients[0], state, null, null)], () => Stream.Null)
        {
            Held = held,
            Attempts = attempts,
        };
    }

    [Fact]
    public void Covers_the_messages_not_held_with_a_recipient_still_to_deliver()
    {
        var pending = Message("bob@example.net");
        var deferred = Message("carol@example.net", QueueRecipientState.Deferred, attempts: 2);
        var held = Message("dave@example.net", held: true);
        var bouncing = Message("erin@example.net", QueueRecipientState.Failed);

        var backlog = FlushBacklog.Take([pending, deferred, held, bouncing], domain: null);

        Assert.Equal(2, backlog.Total);
        Assert.Equal(2, backlog.Left([pending, deferred, held, bouncing]));
    }

    [Fact]
    public void A_domain_flush_covers_that_domain_and_its_subdomains()
    {
        var backlog = FlushBacklog.Take([Message("a@example.net"), Message("b@mx.EXAMPLE.net"), Message("c@example.org"), Message("d@notexample.net")], "example.net");

        Assert.Equal(2, backlog.Total);
    }

    [Fact]
    public void A_message_is_done_when_gone_held_or_attempted_again()
    {
        var delivered = Message("a@example.net");
        var deferred = Message("b@example.net", QueueRecipientState.Deferred, attempts: 1);
        var heldLater = Message("c@example.net");
        var untouched = Message("d@example.net", QueueRecipientState.Deferred, attempts: 3);
        var newcomer = Message("e@example.net");
        var backlog = FlushBacklog.Take([delivered, deferred, heldLater, untouched], domain: null);

        var now = new[] { deferred with { Attempts = 2 }, heldLater with { Held = true }, untouched, newcomer };

        Assert.Equal(4, backlog.Total);
        Assert.Equal(1, backlog.Left(now));
    }
}
