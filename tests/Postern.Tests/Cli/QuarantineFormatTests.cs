using System.Net;
using Postern.Cli;
using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Queue;

namespace Postern.Tests.Cli;

/// <summary>How <c>postern queue list</c> and <c>show</c> present a quarantined message.</summary>
public sealed class QuarantineFormatTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 23, 15, 22, 1, TimeSpan.Zero);

    private static QueueMessageInfo Message(string? envelopeReason, bool held, string? heldReason)
    {
        var recipient = new EnvelopeRecipient(new Mailbox("b", "example.net"));
        var envelope = new Envelope
        {
            Sender = new Mailbox("a", "example.org"),
            Recipients = [recipient],
            Client = new ClientInfo(IPAddress.Loopback, null, "ESMTP", "MTA"),
            ReceivedAt = Time,
            QuarantineReason = envelopeReason,
        };
        return new QueueMessageInfo(QueueId.Parse("0QbHc1Xk8f2aLmZq"), envelope, 12, Time, [new QueueRecipientStatus(recipient, QueueRecipientState.Pending, null, null)], () => Stream.Null)
        {
            Held = held,
            QuarantineReason = heldReason,
        };
    }

    [Fact]
    public void List_marks_the_message_held_and_shows_the_reason_under_it()
    {
        var output = new StringWriter();

        QueueListFormat.Write(output, [Message("spam score 12", held: true, "spam score 12")], TimeZoneInfo.Utc);

        Assert.Equal(
            """
            -Queue ID-------- --Size-- -----Q-Time----- ------------Sender/Recipient-----------
            0QbHc1Xk8f2aLmZq!       12 Mon Nov 23 15:22 <a@example.org>
                                                        (quarantine: spam score 12)
                                                        <b@example.net>  (pending)
                            Total requests: 1

            """,
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Show_gives_the_quarantine_reason_as_the_status()
    {
        var output = new StringWriter();

        QueueShowFormat.Write(output, Message(null, held: true, "end-of-data check"), "", TimeZoneInfo.Utc);

        Assert.Contains("\nStatus:     quarantined: end-of-data check (postern queue release to resume)\n", output.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Show_of_a_released_message_still_says_it_was_quarantined()
    {
        var output = new StringWriter();

        QueueShowFormat.Write(output, Message("spam score 12", held: false, null), "", TimeZoneInfo.Utc);

        var text = output.ToString().ReplaceLineEndings("\n");
        Assert.Contains("\nQuarantine: spam score 12 (released)\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Status:", text, StringComparison.Ordinal);
    }
}
