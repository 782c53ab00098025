using System.Net;
using System.Text;
using Postern.Core.Policy;
using Postern.Core.Queueing;
using Postern.Core.Stages;

namespace Postern.Server.Stages;

/// <summary>
/// Local submissions through the stage handlers (Postfix's <c>non_smtpd_milters</c>): the handlers
/// see the steps of an SMTP session with local facts, as Postfix's cleanup presents such mail to
/// milters: a connection from <c>localhost</c> [127.0.0.1] on the <see cref="SessionFacts.LocalListenerName"/>
/// listener, HELO <c>localhost</c>, MAIL, each RCPT, the header block and the body as they stream,
/// and end of data with the <see cref="MessageDraft"/>; the authenticated user is the submitting
/// user's login name, so a handler can tell a local submission. The message is held in a private
/// file meanwhile and the spool file is written from the draft, as for SMTP. Any refusal refuses the
/// whole submission (there is no client to take a partial answer).
/// </summary>
public sealed class LocalSubmissionPipeline : ILocalSubmissionFilter
{
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
        // The id is chosen up front, as a session chooses it at MAIL, so handlers see the one the message is queued under.
        var facts = new SessionFacts(Loopback, Loopback, SessionFacts.LocalListenerName, ListenerRole.Msa)
        {
            HeloName = ClientName,
            AuthenticatedUser = submission.UserName,
            QueueId = QueueId.New(_clock),
        };
        // Each submission is a session of its own: handlers with per-session state (a milter's connection) get a fresh instance.
        var pipeline = _pipeline.OpenSession();
        try
        {
            return await SubmitAsync(pipeline, facts, submission, cancellationToken);
        }
        finally
        {
            await pipeline.CloseAsync(facts, CancellationToken.None);
        }
    }

    private async ValueTask<LocalSubmissionResult> SubmitAsync(StagePipeline pipeline, SessionFacts facts, LocalSubmissionRequest submission, CancellationToken cancellationToken)
    {
        var envelope = submission.Envelope;
        var verdicts = new Verdicts();
        if (verdicts.Stop("connect", await pipeline.ConnectAsync(facts, cancellationToken))
            || verdicts.Stop("helo", await pipeline.HeloAsync(facts, ClientName, cancellationToken)))
        {
            return verdicts.Result!;
        }
        if (verdicts.Stop("mail", await pipeline.MailAsync(facts, envelope.Sender, cancellationToken))
            || await AnyRecipientRefusedAsync(pipeline, facts, envelope, verdicts, cancellationToken)
            || verdicts.Stop("data", await pipeline.DataAsync(facts, cancellationToken)))
        {
            // The handlers that saw MAIL began a transaction that ends here.
            await pipeline.AbortAsync(facts, CancellationToken.None);
            return verdicts.Result!;
        }
        var held = new HeldMessage(facts.QueueId!.Value, _heldDirectory);
        await using (held)
        {
            var feed = new ContentFeed(held.Body, pipeline, facts);
            await submission.Message.CopyToAsync(feed, CopyBufferSize, cancellationToken);
            await feed.CompleteAsync(cancellationToken);
            var headerLength = feed.HeaderLength;
            var draft = new MessageDraft(envelope, HeaderBlock.Parse(feed.HeaderBlock), () => held.OpenReceivedBody(headerLength));
            if (verdicts.Stop("data", feed.Decision))
            {
                // Refused on its headers or body: the end of data never comes for this transaction.
                await pipeline.AbortAsync(facts, CancellationToken.None);
                return verdicts.Result!;
            }
            if (verdicts.Stop("data", await pipeline.EndOfDataAsync(facts, draft, cancellationToken)))
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

    private static async ValueTask<bool> AnyRecipientRefusedAsync(
        StagePipeline pipeline, SessionFacts facts, Envelope envelope, Verdicts verdicts, CancellationToken cancellationToken)
    {
        foreach (var recipient in envelope.Recipients)
        {
            if (verdicts.Stop("rcpt", await pipeline.RecipientAsync(facts, envelope.Sender, recipient.Address, cancellationToken)))
            {
                return true;
            }
        }
        return false;
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
