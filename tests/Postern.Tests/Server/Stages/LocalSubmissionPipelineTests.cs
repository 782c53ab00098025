using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Addressing;
using Postern.Core.Policy;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Core.Stages;
using Postern.Queue;
using Postern.Queue.Dsn;
using Postern.Queue.Maildrop;
using Postern.Server.Stages;
using Postern.Tests.Queue;

namespace Postern.Tests.Server.Stages;

/// <summary>
/// Maildrop submissions through the local submissions' stage handlers (local_milters): what the
/// handlers see, and what the spool, the maildrop and the sender get for each answer.
/// </summary>
public sealed class LocalSubmissionPipelineTests : IDisposable
{
    private const string Message = "Subject: hi\r\nX-Old: 1\r\n\r\nHello\r\n";
    private static readonly SmtpReply Refusal = new(550, new EnhancedStatusCode(5, 7, 1), "Command rejected by the test milter");
    private static readonly SmtpReply Later = new(451, new EnhancedStatusCode(4, 7, 1), "Service unavailable, try later");

    private readonly TempSpoolDirectory _spoolDirectory = new();
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("postern-local-pipeline-");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly Spool _spool;
    private readonly string _maildrop;

    public LocalSubmissionPipelineTests()
    {
        _spool = TestMessages.Spool(_spoolDirectory, _clock);
        _maildrop = Postern.Queue.Maildrop.Maildrop.PathIn(_data.FullName);
        Postern.Queue.Maildrop.Maildrop.EnsureCreated(_maildrop);
    }

    public void Dispose()
    {
        _spoolDirectory.Dispose();
        _data.Delete(recursive: true);
    }

    [Fact]
    public async Task An_accepted_submission_is_queued_after_the_handlers_saw_every_step_with_local_facts()
    {
        var facts = new FactsRecorder();
        var handler = new TestHandler("milter:test") { WantsContent = true };
        await DropAsync(TestMessages.Envelope("bob@example.net", "carol@example.net"));

        Assert.Equal(1, await PickUpAsync(facts, handler));

        Assert.Equal(["connect", "helo", "mail", "rcpt", "rcpt", "data", "headers", "body", "eod", "close"], handler.Asked);
        var session = facts.Seen!;
        Assert.Equal(("local", "localhost", "user7", "127.0.0.1"), (session.ListenerName, session.HeloName, session.AuthenticatedUser, session.Remote.Address.ToString()));
        Assert.Empty(Directory.GetFiles(_maildrop));
        var (envelope, text) = Queued().Single();
        Assert.Equal(["bob@example.net", "carol@example.net"], envelope.Recipients.Select(r => r.Address.ToString()));
        Assert.Matches("^Received: from userid 7 by test id [0-9A-Za-z]+ for 2\r\n" + Message.Replace("\r\n", "\r\n", StringComparison.Ordinal) + "$", text);
    }

    [Fact]
    public async Task Each_submission_gets_the_session_instance_of_a_per_session_handler_which_is_closed_after_it()
    {
        // As a milter's handler: the configured instance only opens sessions, each with its own connection.
        var sessions = new List<TestHandler>();
        var factory = new TestHandler("milter:factory") { PerSession = () => Opened(sessions, new TestHandler("milter:session")) };
        await DropAsync(TestMessages.Envelope("bob@example.net"));
        await DropAsync(TestMessages.Envelope("carol@example.net"));

        Assert.Equal(2, await PickUpAsync(factory));

        Assert.Empty(factory.Asked);
        Assert.Equal(2, sessions.Count);
        Assert.All(sessions, s => Assert.Equal(["connect", "helo", "mail", "rcpt", "data", "eod", "close"], s.Asked));
    }

    [Fact]
    public async Task A_refused_submission_closes_the_handlers_session_too()
    {
        var sessions = new List<TestHandler>();
        var factory = new TestHandler("milter:factory")
        {
            PerSession = () => Opened(sessions, new TestHandler("milter:session") { Mail = PolicyDecision.Reject(Refusal, "milter:session rejected the sender") }),
        };
        await DropAsync(TestMessages.Envelope("bob@example.net"));

        Assert.Equal(0, await PickUpAsync(factory));

        Assert.Equal(["connect", "helo", "mail", "abort", "close"], Assert.Single(sessions).Asked);
    }

    private static TestHandler Opened(List<TestHandler> sessions, TestHandler session)
    {
        sessions.Add(session);
        return session;
    }

    [Fact]
    public async Task The_spool_holds_the_handlers_edits()
    {
        var editor = new TestHandler("milter:edit")
        {
            EditsMessage = true,
            EndOfData = draft =>
            {
                draft.AddHeader("X-Signed", "yes");
                draft.DeleteHeader("X-Old", 1);
                draft.AddRecipient(new Mailbox("audit", "example.net"));
                draft.ReplaceBody(() => new MemoryStream(Encoding.ASCII.GetBytes("Replaced\r\n")));
                return PolicyDecision.Accept("edited");
            },
        };
        await DropAsync(TestMessages.Envelope("bob@example.net"));

        Assert.Equal(1, await PickUpAsync(editor));

        var (envelope, text) = Queued().Single();
        Assert.Equal(["bob@example.net", "audit@example.net"], envelope.Recipients.Select(r => r.Address.ToString()));
        Assert.EndsWith(" for 2\r\nSubject: hi\r\nX-Signed: yes\r\n\r\nReplaced\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_bounces_the_submission_to_its_sender_and_removes_the_file()
    {
        var refuser = new TestHandler("milter:refuse") { Recipient = PolicyDecision.Reject(Refusal, "milter:refuse rejected the recipient") };
        await DropAsync(TestMessages.Envelope("bob@example.net"));

        Assert.Equal(0, await PickUpAsync(refuser));

        Assert.Empty(Directory.GetFiles(_maildrop));
        Assert.Empty(TempSpoolDirectory.Names(_spoolDirectory.Corrupt));
        var (envelope, text) = Queued().Single();
        Assert.Null(envelope.Sender);
        Assert.Equal("alice@example.org", envelope.Recipients.Single().Address.ToString());
        Assert.Contains("Command rejected by the test milter", text, StringComparison.Ordinal);
        Assert.Contains("Subject: hi", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tempfail_leaves_the_file_for_the_next_pass_until_the_queue_lifetime_ends()
    {
        var deferrer = new TestHandler("milter:later") { Mail = PolicyDecision.TempFail(Later, "milter:later is busy") };
        await DropAsync(TestMessages.Envelope("bob@example.net"));

        Assert.Equal(0, await PickUpAsync(deferrer));
        _clock.Advance(TimeSpan.FromDays(4));
        Assert.Equal(0, await PickUpAsync(deferrer));

        Assert.Single(Directory.GetFiles(_maildrop));
        Assert.Empty(Queued());

        _clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, await PickUpAsync(deferrer));

        Assert.Empty(Directory.GetFiles(_maildrop));
        var (envelope, text) = Queued().Single();
        Assert.Null(envelope.Sender);
        Assert.Contains("Delivery time expired after 5.00:00:00; last error: 451 4.7.1 Service unavailable, try later", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_discard_drops_the_submission_and_a_quarantine_queues_it_on_hold()
    {
        await DropAsync(TestMessages.Envelope("bob@example.net"));
        Assert.Equal(0, await PickUpAsync(new TestHandler("milter:drop") { EndOfData = _ => PolicyDecision.Discard("milter:drop discarded it") }));
        Assert.Empty(Directory.GetFiles(_maildrop));
        Assert.Empty(Queued());

        await DropAsync(TestMessages.Envelope("bob@example.net"));
        Assert.Equal(1, await PickUpAsync(new TestHandler("milter:hold") { Mail = PolicyDecision.Quarantine("milter:hold looked twice") }));
        var id = Assert.Single(_spool.Inspection.Scan());
        Assert.True(_spool.Inspection.IsHeld(id));
    }

    [Fact]
    public async Task Each_submission_gets_its_own_session_of_a_stateful_handler_which_is_closed_after_it()
    {
        var factory = new SessionFactory();
        await DropAsync(TestMessages.Envelope("bob@example.net"));
        await DropAsync(TestMessages.Envelope("carol@example.net"));

        Assert.Equal(2, await PickUpAsync(factory));

        Assert.Equal(2, factory.Sessions.Count);
        Assert.All(factory.Sessions, session => Assert.Equal(["connect", "helo", "mail", "rcpt", "data", "headers", "body", "eod", "close"], session.Asked));
    }

    private async Task<int> PickUpAsync(params IStageHandler[] handlers)
    {
        var filtering = new MaildropFiltering(
            new LocalSubmissionPipeline(handlers, _spool, _data.FullName, _clock),
            new DsnBounceSink(_spool, "test", "postmaster@test", _clock, NullLogger<DsnBounceSink>.Instance),
            TimeSpan.FromDays(5),
            _clock,
            NullLogger<MaildropFiltering>.Instance);
        using var pickup = new MaildropPickup(_spool, _maildrop, 10_000_000, new Policy(), _clock, NullLogger<MaildropPickup>.Instance) { Filtering = filtering };
        return await pickup.PickUpAsync(CancellationToken.None);
    }

    private async Task DropAsync(Envelope envelope)
    {
        await using var writer = await Postern.Queue.Maildrop.Maildrop.BeginMessageAsync(_maildrop, envelope, _clock, CancellationToken.None);
        await writer.Body.WriteAsync(Encoding.UTF8.GetBytes(Message));
        await writer.CommitAsync(CancellationToken.None);
    }

    private List<(Envelope Envelope, string Text)> Queued() =>
        [.. _spool.Inspection.Scan().Select(id =>
        {
            var entry = _spool.Reader.Load(id)!;
            using var body = entry.Message.OpenBody();
            return (entry.Message.Envelope, new StreamReader(body).ReadToEnd());
        })];

    /// <summary>Says who it is by the uid's stand-in name, and names the recipients count in its trace header.</summary>
    private sealed class Policy : IMaildropPolicy
    {
        public string? Refusal(Envelope envelope) => null;

        public string TraceHeader(uint userId, QueueId id, Envelope envelope) => $"Received: from userid 7 by test id {id} for {envelope.Recipients.Count}\r\n";

        public string UserName(uint userId) => "user7";
    }

    /// <summary>A handler that keeps per-session state, like a milter: it only answers through the instances it opens.</summary>
    private sealed class SessionFactory : IStageHandler
    {
        public string Name => "milter:sessions";

        public bool WantsContent => true;

        public List<Session> Sessions { get; } = [];

        public IStageHandler OpenSession()
        {
            var session = new Session();
            Sessions.Add(session);
            return session;
        }

        public ValueTask<PolicyDecision> ConnectAsync(SessionFacts session, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("asked without a session");

        internal sealed class Session : IStageHandler
        {
            public string Name => "milter:sessions";

            public bool WantsContent => true;

            public List<string> Asked { get; } = [];

            public ValueTask<PolicyDecision> ConnectAsync(SessionFacts session, CancellationToken cancellationToken) => Note("connect");

            public ValueTask<PolicyDecision> HeloAsync(SessionFacts session, string heloName, CancellationToken cancellationToken) => Note("helo");

            public ValueTask<PolicyDecision> MailAsync(SessionFacts session, Mailbox? sender, CancellationToken cancellationToken) => Note("mail");

            public ValueTask<PolicyDecision> RecipientAsync(SessionFacts session, Mailbox? sender, Mailbox recipient, CancellationToken cancellationToken) => Note("rcpt");

            public ValueTask<PolicyDecision> DataAsync(SessionFacts session, CancellationToken cancellationToken) => Note("data");

            public ValueTask<PolicyDecision> HeadersAsync(SessionFacts session, ReadOnlyMemory<byte> headerBlock, CancellationToken cancellationToken) => Note("headers");

            public ValueTask<PolicyDecision> BodyChunkAsync(SessionFacts session, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken) => Note("body");

            public ValueTask<PolicyDecision> EndOfDataAsync(SessionFacts session, MessageDraft draft, CancellationToken cancellationToken) => Note("eod");

            public ValueTask CloseAsync(SessionFacts session, CancellationToken cancellationToken)
            {
                Asked.Add("close");
                return ValueTask.CompletedTask;
            }

            private ValueTask<PolicyDecision> Note(string stage)
            {
                Asked.Add(stage);
                return StageDecisions.Accepted;
            }
        }
    }

    private sealed class FactsRecorder : IStageHandler
    {
        public string Name => "facts";

        public SessionFacts? Seen { get; private set; }

        public ValueTask<PolicyDecision> ConnectAsync(SessionFacts session, CancellationToken cancellationToken)
        {
            Seen = session;
            return StageDecisions.Accepted;
        }
    }
}
