using Postern.Core.Policy;
using Postern.Core.Queueing;
using Postern.Core.Tls;
using Postern.Server.Auth;

namespace Postern.Server.Session;

/// <summary>
/// Everything one SMTP session knows and remembers, in one place: where the dialogue is, what the
/// client said and proved (the facts policy decides on), the open transaction, the counters for
/// the log, and the verdicts that outlive a transaction. It changes only through the transition
/// methods, each named for what happened in the dialogue.
/// </summary>
internal sealed class SessionState(SessionFacts facts)
{
    /// <summary>What policy sees: addresses, listener, HELO name, TLS, trusted authentication.</summary>
    public SessionFacts Facts { get; private set; } = facts;

    public SessionPhase Phase { get; private set; } = SessionPhase.Connected;

    /// <summary>The client greeted with EHLO (ESMTP parameters allowed), not HELO.</summary>
    public bool Extended { get; private set; }

    /// <summary>The transaction from an accepted MAIL to the end of its message or RSET; null outside one.</summary>
    public MailTransaction? Transaction { get; private set; }

    public int Commands { get; private set; }

    /// <summary>Refusals counted as errors in the whole session, for the disconnect log line.</summary>
    public int Errors { get; private set; }

    /// <summary>
    /// Errors since the last accepted message: <c>max_errors</c> of them end the session. As in
    /// Postfix, a message that gets through forgives the client's earlier errors.
    /// </summary>
    public int ErrorsSinceMessage { get; private set; }

    /// <summary>The current command's refusal does not count as an error (set by its handler).</summary>
    private bool _refusalForgiven;

    /// <summary>Messages accepted (queued or discarded) in this session.</summary>
    public int Messages { get; private set; }

    /// <summary>The last command's verb, for the "after X" of the session-ended log line.</summary>
    public string LastCommand { get; private set; } = "CONNECT";

    /// <summary>Set once the session must end after the current reply (QUIT, a fatal refusal).</summary>
    public bool Closing { get; private set; }

    /// <summary>A DISCARD verdict at connect or HELO (stage and reason): every later transaction is dropped.</summary>
    public string? SessionDiscard { get; private set; }

    /// <summary>A QUARANTINE verdict at connect or HELO: every later message is held with this reason.</summary>
    public string? SessionQuarantine { get; private set; }

    /// <summary>The successful AUTH, trusted or not; null before one (and after STARTTLS).</summary>
    public SessionAuthentication? Authentication { get; private set; }

    public bool IsAuthenticated => Authentication is not null;

    /// <summary>
    /// What the session lacks and the policy's command gate let pass anyway (the listener does
    /// not require it); the gate is not asked again for it until TLS starts or AUTH succeeds.
    /// </summary>
    public CommandNeeds GatePassed { get; private set; }

    /// <summary>What the session has of what a command may need.</summary>
    public CommandNeeds Has =>
        (Facts.IsTls ? CommandNeeds.Tls : CommandNeeds.None) | (IsAuthenticated ? CommandNeeds.Authentication : CommandNeeds.None);

    /// <summary>The user the TLS client certificate maps to for EXTERNAL, once <see cref="ExternalLookedUp"/>.</summary>
    public string? ExternalIdentity { get; private set; }

    /// <summary>The certificate identity was looked up in this TLS session (it is looked up once).</summary>
    public bool ExternalLookedUp { get; private set; }

    /// <summary>The command gate accepted a command that needs <paramref name="needs"/>.</summary>
    public void GateAccepted(CommandNeeds needs) => GatePassed |= needs;

    /// <summary>A command line arrived.</summary>
    public void CommandReceived() => Commands++;

    /// <summary>The command being run, for the session-ended log line.</summary>
    public void CommandNamed(string verb)
    {
        LastCommand = verb;
        _refusalForgiven = false;
    }

    /// <summary>The current command's refusal is one the client may get without it counting as an error.</summary>
    public void RefusalForgiven() => _refusalForgiven = true;

    /// <summary>
    /// A 4xx/5xx reply was sent; <paramref name="counts"/> is false for the server's own temporary
    /// conditions. Returns the errors since the last accepted message.
    /// </summary>
    public int RefusalSent(bool counts)
    {
        if (counts && !_refusalForgiven)
        {
            Errors++;
            ErrorsSinceMessage++;
        }
        _refusalForgiven = false;
        return ErrorsSinceMessage;
    }

    /// <summary>The session ends after the current reply.</summary>
    public void Close() => Closing = true;

    /// <summary>HELO/EHLO accepted (after the transaction was reset): a fresh greeting.</summary>
    public void Greeted(string heloName, bool extended)
    {
        Facts = Facts with { HeloName = heloName };
        Extended = extended;
        Phase = SessionPhase.Greeted;
    }

    /// <summary>MAIL accepted: the transaction begins.</summary>
    /// <summary>MAIL was given: its transaction's message will have <paramref name="id"/>, which the stage handlers see from now on.</summary>
    public void ChooseQueueId(QueueId id) => Facts = Facts with { QueueId = id };

    public void MailAccepted(MailTransaction transaction)
    {
        Transaction = transaction;
        Phase = SessionPhase.Mail;
    }

    /// <summary>RCPT accepted.</summary>
    public void RecipientAdded(EnvelopeRecipient recipient)
    {
        Transaction!.Recipients.Add(recipient);
        Phase = SessionPhase.Recipients;
    }

    /// <summary>
    /// RSET, HELO/EHLO, STARTTLS or the end of a message: back to greeted (or still connected).
    /// Returns the transaction that ended, for the caller to dispose (it may hold a spool file).
    /// </summary>
    public MailTransaction? TransactionReset()
    {
        var ended = Transaction;
        Transaction = null;
        if (Phase != SessionPhase.Connected)
        {
            Phase = SessionPhase.Greeted;
        }
        return ended;
    }

    /// <summary>A message was queued or discarded: the client's earlier errors are forgiven.</summary>
    public void MessageFinished()
    {
        Messages++;
        ErrorsSinceMessage = 0;
    }

    /// <summary>A TLS handshake finished (implicit or STARTTLS).</summary>
    public void TlsStarted(TlsFacts tls)
    {
        Facts = Facts with { Tls = tls };
        GatePassed = CommandNeeds.None;
    }

    /// <summary>
    /// After STARTTLS everything said before TLS is forgotten (RFC 3207 section 4.2): the greeting
    /// and any AUTH. The transaction must have been reset first. Session verdicts stay.
    /// </summary>
    public void PlaintextForgotten()
    {
        Phase = SessionPhase.Connected;
        Extended = false;
        Authentication = null;
        GatePassed = CommandNeeds.None;
        ExternalIdentity = null;
        ExternalLookedUp = false;
        Facts = Facts with { HeloName = null, SaslLogin = null, AuthenticatedUser = null, AuthMechanism = null };
    }

    /// <summary>AUTH succeeded; only a trusted mechanism makes the user a fact policy relies on.</summary>
    public void Authenticated(SessionAuthentication authentication)
    {
        Authentication = authentication;
        GatePassed = CommandNeeds.None;
        var user = authentication.Identity.AuthorizationId;
        Facts = authentication.Trusted
            ? Facts with { SaslLogin = user, AuthenticatedUser = user, AuthMechanism = authentication.Mechanism }
            : Facts with { SaslLogin = user };
    }

    /// <summary>The client certificate's identity for EXTERNAL was looked up (null: none).</summary>
    public void ExternalIdentityFound(string? identity, bool final)
    {
        ExternalIdentity = identity;
        ExternalLookedUp = final;
    }

    /// <summary>A DISCARD at connect or HELO; the first one's description is kept.</summary>
    public void SessionDiscarded(string description) => SessionDiscard ??= description;

    /// <summary>A QUARANTINE at connect or HELO; the first reason is kept.</summary>
    public void SessionQuarantined(string reason) => SessionQuarantine ??= reason;
}
