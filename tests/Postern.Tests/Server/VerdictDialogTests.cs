using Postern.Core.Policy;
using Postern.Core.Smtp;
using Postern.Tests.Pki.Tls;

namespace Postern.Tests.Server;

/// <summary>DISCARD and QUARANTINE verdicts at every stage: the client sees acceptances, the queue does not (or holds).</summary>
public sealed class VerdictDialogTests
{
    private const string Reason = "access map line 7, DISCARD";

    public static TheoryData<string> Stages => ["connect", "helo", "mail", "rcpt", "data"];

    private static ScriptedPolicy PolicyAt(string stage, PolicyDecision decision) => stage switch
    {
        "connect" => new ScriptedPolicy { Connect = decision },
        "helo" => new ScriptedPolicy { Helo = decision },
        "mail" => new ScriptedPolicy { Sender = decision },
        "rcpt" => new ScriptedPolicy { Recipients = { ["user"] = decision } },
        _ => new ScriptedPolicy { Data = decision },
    };

    /// <summary>One whole transaction; returns the final reply to DATA.</summary>
    private static async Task<string> SendMessageAsync(DialogHarness dialog, string helo = "EHLO client.test\r\n")
    {
        await dialog.SendAndExpectAsync(helo, "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<sender@example.net>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250 2.1.5");
        await dialog.SendAndExpectAsync("RCPT TO:<alice@localhost>\r\n", "250 2.1.5");
        await dialog.SendAndExpectAsync("DATA\r\n", "354");
        await dialog.SendAsync("Subject: x\r\nMessage-ID: <m7@example.net>\r\n\r\nbody\r\n.\r\n");
        return await dialog.ExpectAsync("250 2.0.0 Ok: queued as ");
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public async Task Discard_at_any_stage_answers_250_throughout_and_queues_nothing(string stage)
    {
        var log = new CollectingLogger();
        await using var dialog = await DialogHarness.ConnectAsync(PolicyAt(stage, PolicyDecision.Discard(Reason)), log);

        var reply = await SendMessageAsync(dialog);

        Assert.Matches("^250 2.0.0 Ok: queued as [0-9A-Za-z]{16}$", reply);
        Assert.Empty(dialog.Queue.Committed);
        var id = reply[^16..];
        var discarded = Assert.Single(log.Messages, m => m.StartsWith(id + ": discarded", StringComparison.Ordinal));
        Assert.Contains("from=<sender@example.net>", discarded, StringComparison.Ordinal);
        Assert.Contains("nrcpts=2", discarded, StringComparison.Ordinal);
        Assert.Contains("msgid=<m7@example.net>", discarded, StringComparison.Ordinal);
        Assert.EndsWith("reason=check_" + (stage == "connect" ? "relay" : stage) + ": " + Reason, discarded, StringComparison.Ordinal);
        Assert.Single(log.Messages, m => m.Contains(", discard, reason=" + Reason, StringComparison.Ordinal));
        Assert.DoesNotContain(log.Messages, m => m.Contains("bodytype=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Discard_before_data_never_opens_a_spool_file()
    {
        await using var dialog = await DialogHarness.ConnectAsync(PolicyAt("rcpt", PolicyDecision.Discard(Reason)));

        await SendMessageAsync(dialog);

        Assert.Equal(0, dialog.Queue.Begun);
    }

    [Fact]
    public async Task Discard_at_end_of_data_throws_away_the_spool_file_already_written()
    {
        await using var dialog = await DialogHarness.ConnectAsync(PolicyAt("data", PolicyDecision.Discard(Reason)));

        await SendMessageAsync(dialog);

        Assert.Equal(1, dialog.Queue.Begun);
        Assert.Equal(1, dialog.Queue.Aborted);
        Assert.Empty(dialog.Queue.Committed);
    }

    [Fact]
    public async Task A_recipient_discard_drops_only_its_own_transaction()
    {
        var policy = new ScriptedPolicy { Recipients = { ["spamtrap"] = PolicyDecision.Discard(Reason) } };
        await using var dialog = await DialogHarness.ConnectAsync(policy);
        await dialog.SendAsync("EHLO c\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<user@localhost>\r\nRCPT TO:<spamtrap@localhost>\r\nDATA\r\n");
        await dialog.ExpectAsync("250-mx.test");
        await dialog.ExpectAsync("250 2.1.0");
        await dialog.ExpectAsync("250 2.1.5");
        await dialog.ExpectAsync("250 2.1.5");
        await dialog.ExpectAsync("354");
        await dialog.SendAndExpectAsync("x\r\n.\r\n", "250 2.0.0 Ok: queued as");
        Assert.Empty(dialog.Queue.Committed);

        await dialog.SendAsync("MAIL FROM:<a@example.net>\r\nRCPT TO:<user@localhost>\r\nDATA\r\n");
        await dialog.ExpectAsync("250 2.1.0");
        await dialog.ExpectAsync("250 2.1.5");
        await dialog.ExpectAsync("354");
        await dialog.SendAndExpectAsync("x\r\n.\r\n", "250 2.0.0 Ok: queued as");

        var (envelope, _) = Assert.Single(dialog.Queue.Committed);
        Assert.Null(envelope.QuarantineReason);
    }

    [Theory]
    [InlineData("connect")]
    [InlineData("helo")]
    public async Task A_session_discard_covers_every_transaction_and_survives_rset_and_a_new_ehlo(string stage)
    {
        // The HELO check discards only the first name: greeting again as another must not undo it.
        var policy = stage == "helo"
            ? new ScriptedPolicy { Helo = PolicyDecision.Discard(Reason), HeloName = "client.test" }
            : PolicyAt(stage, PolicyDecision.Discard(Reason));
        await using var dialog = await DialogHarness.ConnectAsync(policy);

        await SendMessageAsync(dialog);
        await dialog.SendAndExpectAsync("RSET\r\n", "250");
        await SendMessageAsync(dialog, helo: "EHLO other.test\r\n");
        await SendMessageAsync(dialog, helo: "HELO third.test\r\n");

        Assert.Empty(dialog.Queue.Committed);
        Assert.Equal(0, dialog.Queue.Begun);
    }

    [Fact]
    public async Task Bdat_messages_are_discarded_too()
    {
        await using var dialog = await DialogHarness.ConnectAsync(PolicyAt("mail", PolicyDecision.Discard(Reason)));
        await dialog.SendAsync("EHLO c\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<user@localhost>\r\nBDAT 14\r\nSubject: x\r\n\r\nBDAT 6 LAST\r\nbody\r\n");
        await dialog.ExpectAsync("250-mx.test");
        await dialog.ExpectAsync("250 2.1.0");
        await dialog.ExpectAsync("250 2.1.5");
        await dialog.ExpectAsync("250 2.0.0 14 octets received");
        await dialog.ExpectAsync("250 2.0.0 Ok: queued as ");

        Assert.Empty(dialog.Queue.Committed);
        Assert.Equal(0, dialog.Queue.Begun);
    }

    [Fact]
    public async Task A_rejected_recipient_is_still_rejected_in_a_discarded_transaction()
    {
        var policy = new ScriptedPolicy
        {
            Sender = PolicyDecision.Discard(Reason),
            Recipients = { ["nobody"] = PolicyDecision.Reject(new SmtpReply(550, "5.1.1", "User unknown"), "unknown") },
        };
        await using var dialog = await DialogHarness.ConnectAsync(policy);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.net>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<nobody@localhost>\r\n", "550 5.1.1");
        await dialog.SendAndExpectAsync("DATA\r\n", "554 5.5.1");
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public async Task Quarantine_at_any_stage_queues_the_message_on_hold_with_the_reason(string stage)
    {
        var log = new CollectingLogger();
        await using var dialog = await DialogHarness.ConnectAsync(PolicyAt(stage, PolicyDecision.Quarantine("suspicious attachment")), log);

        var reply = await SendMessageAsync(dialog);

        var (envelope, bytes) = Assert.Single(dialog.Queue.Committed);
        Assert.Equal("suspicious attachment", envelope.QuarantineReason);
        Assert.Equal(2, envelope.Recipients.Count);
        Assert.NotEmpty(bytes);
        var id = reply[^16..];
        Assert.Contains(id + ": quarantine=suspicious attachment", log.Messages);
        Assert.Contains(log.Messages, m => m.StartsWith(id + ": from=<sender@example.net>", StringComparison.Ordinal));
        Assert.Contains(log.Messages, m => m.StartsWith("ruleset=check_", StringComparison.Ordinal) && m.EndsWith(", quarantine=suspicious attachment", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_transaction_quarantine_does_not_carry_over_to_the_next_message()
    {
        var policy = new ScriptedPolicy { Recipients = { ["alice"] = PolicyDecision.Quarantine("held for review") } };
        await using var dialog = await DialogHarness.ConnectAsync(policy);

        await SendMessageAsync(dialog);
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.net>\r\n", "250 2.1.0");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250 2.1.5");
        await dialog.SendAndExpectAsync("DATA\r\n", "354");
        await dialog.SendAndExpectAsync("x\r\n.\r\n", "250 2.0.0 Ok: queued as");

        Assert.Equal(["held for review", null], dialog.Queue.Committed.Select(c => c.Envelope.QuarantineReason));
    }

    [Fact]
    public async Task A_session_quarantine_covers_every_transaction()
    {
        await using var dialog = await DialogHarness.ConnectAsync(PolicyAt("connect", PolicyDecision.Quarantine("new client")));

        await SendMessageAsync(dialog);
        await SendMessageAsync(dialog, helo: "EHLO again.test\r\n");

        Assert.Equal(["new client", "new client"], dialog.Queue.Committed.Select(c => c.Envelope.QuarantineReason));
    }

    [Fact]
    public async Task The_first_quarantine_reason_is_kept()
    {
        var policy = new ScriptedPolicy
        {
            Sender = PolicyDecision.Quarantine("first"),
            Data = PolicyDecision.Quarantine("second"),
        };
        await using var dialog = await DialogHarness.ConnectAsync(policy);

        await SendMessageAsync(dialog);

        Assert.Equal("first", Assert.Single(dialog.Queue.Committed).Envelope.QuarantineReason);
    }

    [Fact]
    public async Task Discard_wins_over_quarantine()
    {
        var policy = new ScriptedPolicy
        {
            Sender = PolicyDecision.Quarantine("held"),
            Recipients = { ["alice"] = PolicyDecision.Discard(Reason) },
        };
        await using var dialog = await DialogHarness.ConnectAsync(policy);

        await SendMessageAsync(dialog);

        Assert.Empty(dialog.Queue.Committed);
    }
}
