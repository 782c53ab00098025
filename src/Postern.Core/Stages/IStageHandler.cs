using Postern.Core.Addressing;
using Postern.Core.Policy;

namespace Postern.Core.Stages;

/// <summary>
/// One handler of the SMTP stage pipeline: the session asks every handler, in order, at connect,
/// HELO, before a command that needs an established session, MAIL, each RCPT, DATA, the message's header block, each body chunk as it streams, and at end
/// of data. Restrictions, milters, policy services and header checks are handlers; the session
/// acts on the combined result and never knows which handler decided.
/// </summary>
/// <remarks>
/// <para>Each method answers with a <see cref="PolicyDecision"/>: accept (no objection, the next
/// handler is asked), reject or tempfail (with the handler's own reply; the first one ends the
/// stage and the client gets that reply), discard (the client is told 250 and the whole message
/// is dropped) or quarantine (the message is queued on hold). The first discard and the first
/// quarantine of a transaction win; a verdict at connect or HELO covers the whole session.</para>
/// <para>A decision from the header or body stage does not interrupt the data: the message is read
/// to its end and the first refusal is the end-of-data reply.</para>
/// <para>The default methods accept, so a handler implements only the stages it cares about. The
/// answers are <see cref="ValueTask{TResult}"/> so that a handler deciding at once allocates nothing.</para>
/// </remarks>
public interface IStageHandler
{
    /// <summary>A short name for diagnostics (<c>restrictions</c>, <c>milter:spamd</c>).</summary>
    string Name { get; }

    /// <summary>The handler wants the header block and body chunks; without any such handler the data is not inspected.</summary>
    bool WantsContent => false;

    /// <summary>
    /// The handler may edit the message at end of data (<see cref="MessageDraft"/>). With any such
    /// handler the session keeps the received message aside and writes the spool file after the
    /// end-of-data stage, with the edits applied.
    /// </summary>
    bool EditsMessage => false;

    /// <summary>
    /// The handler for one SMTP session. A handler that keeps per-session state (a milter's
    /// connection) returns a new instance, which the session asks at every stage and closes with
    /// <see cref="CloseAsync"/>; a stateless one returns itself, and the server's shared pipeline
    /// is used as is (a session then allocates nothing for its handlers).
    /// </summary>
    IStageHandler OpenSession() => this;

    ValueTask<PolicyDecision> ConnectAsync(SessionFacts session, CancellationToken cancellationToken) => StageDecisions.Accepted;

    ValueTask<PolicyDecision> HeloAsync(SessionFacts session, string heloName, CancellationToken cancellationToken) => StageDecisions.Accepted;

    /// <summary>
    /// The gate before a command that needs an established session (MAIL, RCPT, DATA): asked
    /// before the command's argument is read, and only when the session lacks some of what the
    /// command <paramref name="needs"/> (TLS, AUTH); a session with TLS and AUTH, and every command
    /// that needs neither, never comes here. An acceptance holds for the session until TLS starts
    /// or AUTH succeeds (the next gated command is not asked again); discard and quarantine mean
    /// nothing here. A refusal is the command's reply (530 5.7.0 from the restrictions); like a
    /// refusal for a command out of sequence, it is not logged or counted as a rejection.
    /// </summary>
    ValueTask<PolicyDecision> CommandAsync(SessionFacts session, string verb, CommandNeeds needs, CancellationToken cancellationToken) =>
        StageDecisions.Accepted;

    ValueTask<PolicyDecision> MailAsync(SessionFacts session, Mailbox? sender, CancellationToken cancellationToken) => StageDecisions.Accepted;

    /// <summary>
    /// MAIL with its ESMTP parameters as the client sent them (<c>SIZE=1024</c>, <c>BODY=8BITMIME</c>);
    /// this is what the session calls. A handler that needs no parameters overrides the overload without them.
    /// </summary>
    ValueTask<PolicyDecision> MailAsync(SessionFacts session, Mailbox? sender, IReadOnlyList<string> parameters, CancellationToken cancellationToken) =>
        MailAsync(session, sender, cancellationToken);

    ValueTask<PolicyDecision> RecipientAsync(SessionFacts session, Mailbox? sender, Mailbox recipient, CancellationToken cancellationToken) =>
        StageDecisions.Accepted;

    /// <summary>
    /// RCPT with its ESMTP parameters as the client sent them (<c>NOTIFY=FAILURE</c>, <c>ORCPT=rfc822;a@b</c>);
    /// this is what the session calls. A handler that needs no parameters overrides the overload without them.
    /// </summary>
    ValueTask<PolicyDecision> RecipientAsync(
        SessionFacts session, Mailbox? sender, Mailbox recipient, IReadOnlyList<string> parameters, CancellationToken cancellationToken) =>
        RecipientAsync(session, sender, recipient, cancellationToken);

    /// <summary>
    /// The DATA command, or the first BDAT of a transaction, before the message is read. A refusal
    /// is the command's reply and ends the transaction (with BDAT, the chunks are read and dropped).
    /// </summary>
    ValueTask<PolicyDecision> DataAsync(SessionFacts session, CancellationToken cancellationToken) => StageDecisions.Accepted;

    /// <summary>
    /// The message's header block as the client sent it, up to and including the empty line
    /// (CRLF line ends, unfolded lines kept as sent). Only for handlers that <see cref="WantsContent"/>.
    /// </summary>
    ValueTask<PolicyDecision> HeadersAsync(SessionFacts session, ReadOnlyMemory<byte> headerBlock, CancellationToken cancellationToken) =>
        StageDecisions.Accepted;

    /// <summary>One piece of the body as it streams in (any size; not line-aligned). Only for handlers that <see cref="WantsContent"/>.</summary>
    ValueTask<PolicyDecision> BodyChunkAsync(SessionFacts session, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken) =>
        StageDecisions.Accepted;

    /// <summary>
    /// End of data, before the message is committed. <paramref name="draft"/> shows the envelope
    /// and headers as the handlers before this one left them; a handler that
    /// <see cref="EditsMessage"/> may change them and replace the body through it.
    /// </summary>
    ValueTask<PolicyDecision> EndOfDataAsync(SessionFacts session, MessageDraft draft, CancellationToken cancellationToken) =>
        StageDecisions.Accepted;

    /// <summary>
    /// The transaction ended without a completed end of data: RSET, a new HELO/EHLO, STARTTLS, a
    /// refusal of MAIL, DATA or the message, the client gone. Asked of every handler, including
    /// those that never saw the transaction or already answered its end of data; they ignore it.
    /// </summary>
    ValueTask AbortAsync(SessionFacts session, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>The session is over (QUIT, disconnect, timeout, shutdown): always called once, last.</summary>
    ValueTask CloseAsync(SessionFacts session, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
