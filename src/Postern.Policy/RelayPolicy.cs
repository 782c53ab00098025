using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Policy;
using Postern.Core.Queueing;
using Postern.Policy.Access;
using Postern.Policy.Auth;
using Postern.Policy.Restrictions;

namespace Postern.Policy;

/// <summary>
/// The policy engine: Postfix-style ordered restriction lists per stage (see
/// <see cref="RestrictionLists"/>), evaluated over the local recipients, the relay settings and the
/// access map as they are at the moment of the decision (both reload). The Evaluate methods return
/// the whole trace for <c>postern access check</c>; the session gets the decision, whose reason
/// names the rule and the map line. Before a command that needs an established session, the
/// listener's TLS and AUTH requirements are restrictions too (<see cref="CommandRestrictions"/>).
/// </summary>
public sealed class RelayPolicy : IPolicyEngine, IRelayTrust
{
    private readonly Func<ILocalRecipients> _localRecipients;
    private readonly RelayPolicyOptions _options;
    private readonly Func<AccessMap>? _accessMap;
    private readonly RelayDomainSet _relayDomains;
    private readonly RestrictionEngine _engine;
    private readonly CommandRestrictions _commands = new();
    private readonly ClientRelayTrust _trust;

    /// <param name="localRecipients">The local users and aliases as they are now.</param>
    /// <param name="options">Relay settings and restriction lists.</param>
    /// <param name="accessMap">The access map as it is now; null: none.</param>
    /// <param name="senderLogins">The sender login map as it is now; when set, reject_sender_login_mismatch heads the sender restrictions.</param>
    /// <exception cref="ArgumentException">A restriction list is not valid (the configuration binder checks first).</exception>
    public RelayPolicy(Func<ILocalRecipients> localRecipients, RelayPolicyOptions options, Func<AccessMap>? accessMap = null, Func<SenderLoginMap>? senderLogins = null)
    {
        ArgumentNullException.ThrowIfNull(localRecipients);
        ArgumentNullException.ThrowIfNull(options);
        _localRecipients = localRecipients;
        _options = options;
        _accessMap = accessMap;
        _relayDomains = new RelayDomainSet(options.RelayDomains);
        _engine = new RestrictionEngine(options.Restrictions, senderLogins is null ? null : [new RejectSenderLoginMismatch(senderLogins)]);
        _trust = new ClientRelayTrust(options.Restrictions);
    }

    /// <summary>
    /// The client may relay whatever the recipient: a local submission (the sendmail command, the
    /// maildrop), or a client that the recipient list's client restrictions (check_client_access,
    /// permit_relay_networks, permit_sasl_authenticated, permit_tls_clientcerts) grant relaying,
    /// with the access map as it is now. Mail merely passing through from outside never is.
    /// </summary>
    public bool MayRelay(SessionFacts session) =>
        session.IsLocalSubmission || _trust.MayRelay(Context(RestrictionStage.Rcpt, session));

    public StageEvaluation EvaluateConnect(SessionFacts session) =>
        _engine.Evaluate(Context(RestrictionStage.Connect, session));

    public StageEvaluation EvaluateHelo(SessionFacts session, string heloName) =>
        _engine.Evaluate(Context(RestrictionStage.Helo, session) with { HeloName = heloName });

    public StageEvaluation EvaluateSender(SessionFacts session, Mailbox? sender) =>
        _engine.Evaluate(Context(RestrictionStage.Mail, session) with { Sender = sender });

    public StageEvaluation EvaluateRecipient(SessionFacts session, Mailbox? sender, Mailbox recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return _engine.Evaluate(Context(RestrictionStage.Rcpt, session) with { Sender = sender, Recipient = recipient });
    }

    public StageEvaluation EvaluateData(SessionFacts session, Mailbox? sender) =>
        _engine.Evaluate(Context(RestrictionStage.Data, session) with { Sender = sender });

    public ValueTask<PolicyDecision> CheckConnectAsync(SessionFacts session, CancellationToken cancellationToken) =>
        ValueTask.FromResult(EvaluateConnect(session).Decision);

    public ValueTask<PolicyDecision> CheckHeloAsync(SessionFacts session, string heloName, CancellationToken cancellationToken) =>
        ValueTask.FromResult(EvaluateHelo(session, heloName).Decision);

    /// <summary>reject_plaintext_session and reject_unauthenticated_session, in effect where the listener requires TLS or AUTH.</summary>
    public ValueTask<PolicyDecision> CheckCommandAsync(SessionFacts session, string verb, CommandNeeds needs, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_commands.Decide(session, needs));

    public ValueTask<PolicyDecision> CheckSenderAsync(SessionFacts session, Mailbox? sender, CancellationToken cancellationToken) =>
        ValueTask.FromResult(EvaluateSender(session, sender).Decision);

    public ValueTask<PolicyDecision> CheckRecipientAsync(
        SessionFacts session,
        Mailbox? sender,
        Mailbox recipient,
        CancellationToken cancellationToken) =>
        ValueTask.FromResult(EvaluateRecipient(session, sender, recipient).Decision);

    public ValueTask<PolicyDecision> CheckDataAsync(SessionFacts session, Envelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return ValueTask.FromResult(EvaluateData(session, envelope.Sender).Decision);
    }

    private RestrictionContext Context(RestrictionStage stage, SessionFacts session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new RestrictionContext(stage, session, _localRecipients(), _accessMap?.Invoke() ?? AccessMap.Empty, _relayDomains, _options.RelayNetworks)
        {
            HeloName = session.HeloName,
        };
    }
}
