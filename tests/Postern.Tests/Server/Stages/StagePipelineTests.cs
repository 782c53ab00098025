using System.Net;
using Postern.Core.Addressing;
using Postern.Core.Policy;
using Postern.Core.Smtp;
using Postern.Server.Stages;

namespace Postern.Tests.Server.Stages;

/// <summary>How the pipeline combines its handlers' decisions at one stage.</summary>
public sealed class StagePipelineTests
{
    private static readonly SessionFacts Facts = new(new IPEndPoint(IPAddress.Loopback, 40000), new IPEndPoint(IPAddress.Loopback, 25), "mta", ListenerRole.Mta);
    private static readonly Mailbox Sender = new("a", "example.org");
    private static readonly SmtpReply Refusal = new(550, "5.7.1", "Not from you");
    private static readonly SmtpReply Later = new(451, "4.7.1", "Greylisted, try again later");

    private static ValueTask<PolicyDecision> MailAsync(params TestHandler[] handlers) =>
        new StagePipeline(handlers).MailAsync(Facts, Sender, CancellationToken.None);

    [Fact]
    public async Task A_reject_from_the_second_handler_wins_over_the_firsts_accept_and_ends_the_stage()
    {
        var first = new TestHandler("first");
        var second = new TestHandler("second") { Mail = PolicyDecision.Reject(Refusal, "second: no") };
        var third = new TestHandler("third");

        var decision = await MailAsync(first, second, third);

        Assert.Equal(PolicyVerdict.Reject, decision.Verdict);
        Assert.Equal(Refusal, decision.Reply);
        Assert.Equal("second: no", decision.Reason);
        Assert.Equal(["mail"], first.Asked);
        Assert.Empty(third.Asked);
    }

    [Fact]
    public async Task The_command_gate_asks_every_handler_until_one_refuses()
    {
        var first = new TestHandler("first");
        var second = new TestHandler("second") { Command = PolicyDecision.Reject(Refusal, "second: no") };
        var third = new TestHandler("third");

        var decision = await new StagePipeline([first, second, third]).CommandAsync(Facts, "MAIL", CommandNeeds.Tls, CancellationToken.None);

        Assert.Equal(Refusal, decision.Reply);
        Assert.Equal(["command MAIL"], first.Asked);
        Assert.Equal(["command MAIL"], second.Asked);
        Assert.Empty(third.Asked);
    }

    [Fact]
    public async Task A_tempfail_carries_the_handlers_own_4xx_reply()
    {
        var decision = await MailAsync(new TestHandler("first"), new TestHandler("grey") { Mail = PolicyDecision.TempFail(Later, "greylist") });

        Assert.False(decision.IsAccepted);
        Assert.Equal(Later, decision.Reply);
        Assert.True(decision.Reply!.IsTransientFailure);
    }

    [Fact]
    public void A_tempfail_needs_a_4xx_reply()
    {
        Assert.Throws<ArgumentException>(() => PolicyDecision.TempFail(Refusal, "wrong"));
    }

    [Fact]
    public async Task The_first_discard_wins_and_ends_the_stage()
    {
        var third = new TestHandler("third") { Mail = PolicyDecision.Reject(Refusal, "too late") };

        var decision = await MailAsync(
            new TestHandler("first") { Mail = PolicyDecision.Quarantine("held") },
            new TestHandler("second") { Mail = PolicyDecision.Discard("dropped") },
            third);

        Assert.Equal(PolicyVerdict.Discard, decision.Verdict);
        Assert.Equal("dropped", decision.Reason);
        Assert.Empty(third.Asked);
    }

    [Fact]
    public async Task The_first_quarantine_is_kept_while_later_handlers_are_asked()
    {
        var last = new TestHandler("last");

        var decision = await MailAsync(
            new TestHandler("first"),
            new TestHandler("second") { Mail = PolicyDecision.Quarantine("first reason") },
            new TestHandler("third") { Mail = PolicyDecision.Quarantine("second reason") },
            last);

        Assert.Equal(PolicyVerdict.Quarantine, decision.Verdict);
        Assert.Equal("first reason", decision.Reason);
        Assert.Equal(["mail"], last.Asked);
    }

    [Fact]
    public async Task A_refusal_after_a_quarantine_still_wins()
    {
        var decision = await MailAsync(
            new TestHandler("first") { Mail = PolicyDecision.Quarantine("held") },
            new TestHandler("second") { Mail = PolicyDecision.Reject(Refusal, "no") });

        Assert.Equal(PolicyVerdict.Reject, decision.Verdict);
    }

    [Fact]
    public async Task With_only_acceptances_the_first_handlers_reason_stands()
    {
        var decision = await MailAsync(new TestHandler("first") { Mail = PolicyDecision.Accept("first ok") }, new TestHandler("second"));

        Assert.Equal(PolicyVerdict.Accept, decision.Verdict);
        Assert.Equal("first ok", decision.Reason);
    }

    [Fact]
    public async Task One_handlers_decision_is_passed_through_as_is()
    {
        var mine = PolicyDecision.Accept("mine");

        var decision = await MailAsync(new TestHandler("only") { Mail = mine });

        Assert.Same(mine, decision);
    }

    [Fact]
    public async Task Content_stages_ask_only_the_handlers_that_want_content()
    {
        var blind = new TestHandler("blind");
        var reader = new TestHandler("reader") { WantsContent = true };
        var pipeline = new StagePipeline([blind, reader]);

        Assert.True(pipeline.WantsContent);
        Assert.False(pipeline.EditsMessage);
        await pipeline.HeadersAsync(Facts, "Subject: x\r\n\r\n"u8.ToArray(), CancellationToken.None);
        await pipeline.BodyChunkAsync(Facts, "body\r\n"u8.ToArray(), CancellationToken.None);

        Assert.Empty(blind.Asked);
        Assert.Equal(["headers", "body"], reader.Asked);
    }

    [Fact]
    public void A_pipeline_needs_a_handler()
    {
        Assert.Throws<ArgumentException>(() => new StagePipeline([]));
    }

    [Fact]
    public void A_pipeline_of_stateless_handlers_is_shared_by_every_session()
    {
        var pipeline = new StagePipeline([new TestHandler("first"), new TestHandler("second")]);

        Assert.Same(pipeline, pipeline.OpenSession());
    }

    [Fact]
    public async Task A_handler_with_session_state_gets_a_new_instance_per_session_and_the_others_are_kept()
    {
        var opened = new List<TestHandler>();
        var stateless = new TestHandler("stateless");
        var perSession = new TestHandler("milter")
        {
            PerSession = () =>
            {
                var handler = new TestHandler("milter session");
                opened.Add(handler);
                return handler;
            },
        };
        var pipeline = new StagePipeline([stateless, perSession]);

        var first = pipeline.OpenSession();
        var second = pipeline.OpenSession();
        await first.MailAsync(Facts, Sender, ["SIZE=10"], CancellationToken.None);
        await first.CloseAsync(Facts, CancellationToken.None);

        Assert.NotSame(pipeline, first);
        Assert.NotSame(first, second);
        Assert.Equal(2, opened.Count);
        Assert.Equal(["mail", "close"], opened[0].Asked);
        Assert.Empty(opened[1].Asked);
        Assert.Empty(perSession.Asked);
        Assert.Equal(["mail", "close"], stateless.Asked);
        Assert.Equal(["mail SIZE=10"], opened[0].Parameters);
    }

    [Fact]
    public async Task The_data_stage_ends_at_the_first_refusal()
    {
        var third = new TestHandler("third");
        var pipeline = new StagePipeline([new TestHandler("first"), new TestHandler("second") { Data = PolicyDecision.Reject(Refusal, "no data") }, third]);

        var decision = await pipeline.DataAsync(Facts, CancellationToken.None);

        Assert.Equal(Refusal, decision.Reply);
        Assert.Empty(third.Asked);
    }

    [Fact]
    public async Task Abort_and_close_reach_every_handler()
    {
        var first = new TestHandler("first");
        var second = new TestHandler("second");
        var pipeline = new StagePipeline([first, second]);

        await pipeline.AbortAsync(Facts, CancellationToken.None);
        await pipeline.CloseAsync(Facts, CancellationToken.None);

        Assert.Equal(["abort", "close"], first.Asked);
        Assert.Equal(["abort", "close"], second.Asked);
    }

    [Fact]
    public async Task Recipient_parameters_reach_the_handlers_as_sent()
    {
        var handler = new TestHandler("only");

        await new StagePipeline([handler]).RecipientAsync(Facts, Sender, new Mailbox("u", "example.org"), ["NOTIFY=FAILURE", "ORCPT=rfc822;u@example.org"], CancellationToken.None);

        Assert.Equal(["rcpt NOTIFY=FAILURE ORCPT=rfc822;u@example.org"], handler.Parameters);
    }
}
