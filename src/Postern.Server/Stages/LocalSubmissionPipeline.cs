using System.Net;
using System.Text;
using Postern.Core.Policy;
using Postern.Core.Queueing;
using Postern.Core.Stages;

namespace Postern.Server.Stages;

/// <summary>
/// Local submissions through the stage handlers (Postfix's <c>non_smtpd_milters</c>): the handlers
/// see the steps of an SMTP session with local facts, as Postfix's cleanup presents such mail to
/// milters: a connection from <c>localhost</c> [127.0.0.1] on the <see cref="ListenerName"/>
/// listener, HELO <c>localhost</c>, MAIL, each RCPT, the header block and the body as they stream,
/// and end of data with the <see cref="MessageDraft"/>; the authenticated user is the submitting
/// user's login name, so a handler can tell a local submission. The message is held in a private
/// file meanwhile and the spool file is written from the draft, as for SMTP. Any refusal refuses the
/// whole submission (there is no client to take a partial answer).
/// </summary>
public sealed class LocalSubmissionPipeline : ILocalSubmissionFilter
{
    /// <summary>The listener name handlers see for local submissions.</summary>
    public const string ListenerName = "local";

    /// <summary>The client and HELO name handlers see.</summary>
    public const string ClientName = "localhost";

    private const int CopyBufferSize = 64 * 1024;
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);

    private readonly StagePipeline _pipeline;
    private readonly IMessageQueue _queue;
    private readonly string _heldDirectory;
    private readonly TimeProvider _clock;

    /// <param name="handlers">The handlers, in order; at least one.</param>
    /// <param name="queue">Where accepted submissions go.</param>
    /// <param name="heldDirectory">Where a message waits while handlers may edit it.</param>
    /// <param name="clock">For provisional ids.</param>
    public LocalSubmissionPipeline(IReadOnlyList<IStageHandler> handlers, IMessageQueue queue, string heldDirectory, TimeProvider clock)
    {
        _pipeline = new StagePipeline(handlers);
        _queue = queue;
        _heldDirectory = heldDirectory;
        _clock = clock;
    }

    public async ValueTask<LocalSubmissionResult> SubmitAsync(LocalSubmissionRequest submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var facts = new SessionFacts(Loopback, Loopback, ListenerName, ListenerRole.Msa) { HeloName = ClientName, AuthenticatedUser = submission.UserName };
        // Each submission is one session: handlers that keep per-session state (a milter's
        // connection) get their session instance here, and are closed when the submission ends.
        var session = _pipeline.OpenSession();
        try
        {
            return await SubmitAsync(session, facts, submission, cancellationToken);
        }
        finally
        {
            await session.CloseAsync(facts, CancellationToken.None);
        }
    }

    private async ValueTask<LocalSubmissionResult> SubmitAsync(
        StagePipeline pipeline, SessionFacts facts, LocalSubmissionRequest submission, CancellationToken cancellationToken)
    {
        var envelope = submission.Envelope;
        var verdicts = new Verdicts();
        if (verdicts.Stop("connect", await pipeline.ConnectAsync(facts, cancellationToken))
            || verdicts.Stop("helo", await pipeline.HeloAsync(facts, ClientName, cancellationToken))
            || verdicts.Stop("mail", await pipeline.MailAsync(facts, envelope.Sender, cancellationToken)))
        {
            return verdicts.Result!;
        }
        foreach (var recipient in envelope.Recipients)
        {
            if (verdicts.Stop("rcpt", await pipeline.RecipientAsync(facts, envelope.Sender, recipient.Address, cancellationToken)))
            {
                return verdicts.Result!;
            }
        }
        var held = new HeldMessage(QueueId.New(_clock), _heldDirectory);
        await using (held)
        {
            var feed = new ContentFeed(held.Body, pipeline, facts);
            await submission.Message.CopyToAsync(feed, CopyBufferSize, cancellationToken);
            await feed.CompleteAsync(cancellationToken);
            var headerLength = feed.HeaderLength;
            var draft = new MessageDraft(envelope, HeaderBlock.Parse(feed.HeaderBlock), () => held.OpenReceivedBody(headerLength));
            if (verdicts.Stop("data", feed.Decision) || verdicts.Stop("data", await pipeline.EndOfDataAsync(facts, draft, cancellationToken)))
            {
                return verdicts.Result!;
            }
            await held.WriteSpoolFileAsync(
                _queue, draft, feed.HadEmptyLine, (edited, id) => Encoding.UTF8.GetBytes(submission.TraceHeader(edited, id)), cancellationToken);
            // Not cancellable: once the bytes are in, finishing the commit is what loses nothing.
            await held.CommitAsync(verdicts.Quarantine, CancellationToken.None);
            return new LocalSubmissionResult(LocalSubmissionOutcome.Queued, verdicts.Quarantine ?? "accepted")
            {
                Id = held.Id,
                QuarantineReason = verdicts.Quarantine,
            };
        }
    }

    /// <summary>The decisions of one submission so far: the first refusal or discard ends it; the first quarantine holds it.</summary>
    private sealed class Verdicts
    {
        public string? Quarantine { get; private set; }

        public LocalSubmissionResult? Result { get; private set; }

        /// <summary>Notes <paramref name="decision"/>; true when it ends the submission.</summary>
        public bool Stop(string stage, PolicyDecision decision)
        {
            switch (decision.Verdict)
            {
                case PolicyVerdict.Reject:
                    var outcome = decision.Reply?.IsTransientFailure == true ? LocalSubmissionOutcome.Deferred : LocalSubmissionOutcome.Refused;
                    Result = new LocalSubmissionResult(outcome, decision.Reason) { Reply = decision.Reply, Stage = stage };
                    return true;
                case PolicyVerdict.Discard:
                    Result = new LocalSubmissionResult(LocalSubmissionOutcome.Discarded, decision.Reason) { Stage = stage };
                    return true;
                case PolicyVerdict.Quarantine:
                    Quarantine ??= decision.Reason;
                    return false;
                default:
                    return false;
            }
        }
    }
}
