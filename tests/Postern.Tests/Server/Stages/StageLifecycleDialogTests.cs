using Postern.Core.Policy;
using Postern.Core.Smtp;

namespace Postern.Tests.Server.Stages;

/// <summary>
/// What a session tells its handlers beyond the decisions: its own instance of a per-session
/// handler, the DATA stage, the ESMTP parameters, the end of a transaction that did not complete
/// (abort) and the end of the session (close).
/// </summary>
public sealed class StageLifecycleDialogTests
{
    private static readonly SmtpReply Refusal = new(550, "5.7.1", "Not that message");

    /// <summary>A handler kept per session, as a milter's connection is: <paramref name="opened"/> collects each session's instance.</summary>
    private static async Task<DialogHarness> ConnectAsync(List<TestHandler> opened, Func<TestHandler>? make = null, params TestHandler[] before)
    {
        var perSession = new TestHandler("factory")
        {
            PerSession = () =>
            {
                var handler = make?.Invoke() ?? new TestHandler("session");
                opened.Add(handler);
                return handler;
            },
        };
        return await DialogHarness.ConnectAsync(configure: services => services with { Handlers = [.. before, perSession] });
    }

    /// <summary>The stages asked, without the command gate (asked here because the session has no TLS).</summary>
    private static List<string> Stages(TestHandler handler) => [.. handler.Asked.Where(stage => !stage.StartsWith("command ", StringComparison.Ordinal))];

    [Fact]
    public async Task Each_session_has_its_own_instance_which_is_closed_last()
    {
        var opened = new List<TestHandler>();
        var dialog = await ConnectAsync(opened);
        await using (dialog)
        {
            await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
            await dialog.SendAndExpectAsync("QUIT\r\n", "221");
            Assert.True(await dialog.ServerClosedAsync());
            await dialog.SessionTask;
        }
        var second = await ConnectAsync(opened);
        await second.DisposeAsync();

        Assert.Equal(2, opened.Count);
        Assert.Equal(["connect", "helo", "close"], Stages(opened[0]));
        Assert.Equal("close", Stages(opened[1])[^1]);
    }

    [Fact]
    public async Task Rset_and_a_new_ehlo_abort_the_open_transaction()
    {
        var opened = new List<TestHandler>();
        await using var dialog = await ConnectAsync(opened);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250");
        await dialog.SendAndExpectAsync("RSET\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250");
        await dialog.SendAndExpectAsync("EHLO again\r\n", "250");

        Assert.Equal(["connect", "helo", "mail", "abort", "mail", "helo", "abort"], Stages(Assert.Single(opened)));
    }

    [Fact]
    public async Task The_esmtp_parameters_of_mail_and_rcpt_reach_the_handlers_as_sent()
    {
        var opened = new List<TestHandler>();
        await using var dialog = await ConnectAsync(opened);
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org> SIZE=100 BODY=8BITMIME\r\n", "250");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost> NOTIFY=SUCCESS,FAILURE\r\n", "250");
        await dialog.SendAndExpectAsync("RCPT TO:<alice@localhost>\r\n", "250");

        Assert.Equal(["mail SIZE=100 BODY=8BITMIME", "rcpt NOTIFY=SUCCESS,FAILURE", "rcpt"], Assert.Single(opened).Parameters);
    }

    [Fact]
    public async Task A_refusal_at_data_is_the_reply_to_data_and_ends_the_transaction()
    {
        var opened = new List<TestHandler>();
        await using var dialog = await ConnectAsync(opened, () => new TestHandler("session") { Data = PolicyDecision.Reject(Refusal, "no data") });
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250");
        await dialog.SendAndExpectAsync("DATA\r\n", "550 5.7.1 Not that message");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "503");

        Assert.Equal(["connect", "helo", "mail", "rcpt", "data", "abort"], Stages(Assert.Single(opened)));
        Assert.Empty(dialog.Queue.Committed);
    }

    [Fact]
    public async Task A_refusal_at_the_first_bdat_refuses_every_chunk_up_to_last()
    {
        var opened = new List<TestHandler>();
        await using var dialog = await ConnectAsync(opened, () => new TestHandler("session") { Data = PolicyDecision.Reject(Refusal, "no data") });
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250");
        await dialog.SendAndExpectAsync("RCPT TO:<user@localhost>\r\n", "250");
        await dialog.SendAndExpectAsync("BDAT 5\r\nab\r\nc", "550 5.7.1 Not that message");
        await dialog.SendAndExpectAsync("BDAT 4 LAST\r\nde\r\n", "550 5.7.1 Not that message");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "250");

        var asked = Stages(Assert.Single(opened));
        Assert.Equal(["connect", "helo", "mail", "rcpt", "data", "abort", "mail"], asked);
        Assert.Empty(dialog.Queue.Committed);
    }

    [Fact]
    public async Task A_handler_that_saw_mail_is_told_when_a_later_one_refuses_it()
    {
        var opened = new List<TestHandler>();
        var later = new TestHandler("later") { Mail = PolicyDecision.Reject(Refusal, "not you") };
        var perSession = new TestHandler("factory")
        {
            PerSession = () =>
            {
                var handler = new TestHandler("session");
                opened.Add(handler);
                return handler;
            },
        };
        await using var dialog = await DialogHarness.ConnectAsync(configure: services => services with { Handlers = [perSession, later] });
        await dialog.SendAndExpectAsync("EHLO c\r\n", "250");
        await dialog.SendAndExpectAsync("MAIL FROM:<a@example.org>\r\n", "550");

        Assert.Equal(["connect", "helo", "mail", "abort"], Stages(Assert.Single(opened)));
    }

    [Fact]
    public async Task A_client_gone_inside_data_aborts_then_closes()
    {
        var opened = new List<TestHandler>();
        var dialog = await ConnectAsync(opened, () => new TestHandler("session") { WantsContent = true });
        await dialog.StartDataAsync();
        await dialog.SendAsync("Subject: x\r\n\r\nhalf a bo");
        await dialog.HangUpAsync();
        await dialog.SessionTask.WaitAsync(TimeSpan.FromSeconds(10));
        await dialog.DisposeAsync();

        var asked = Stages(Assert.Single(opened));
        Assert.Equal(["abort", "close"], asked[^2..]);
        Assert.DoesNotContain("eod", asked);
    }

    [Fact]
    public async Task A_completed_message_reaches_end_of_data_once()
    {
        var opened = new List<TestHandler>();
        await using var dialog = await ConnectAsync(opened);
        await dialog.StartDataAsync();
        await dialog.SendAndExpectAsync("Subject: x\r\n\r\nbody\r\n.\r\n", "250 2.0.0");

        Assert.Equal(["connect", "helo", "mail", "rcpt", "data", "eod"], Stages(Assert.Single(opened))[..6]);
        Assert.Single(dialog.Queue.Committed);
    }
}
