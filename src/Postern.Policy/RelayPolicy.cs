using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Maps;
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
/// Maps in a database are read before a stage's restrictions run (<see cref="PolicyMaps"/>), for the
/// keys that stage can consult; a table that cannot answer makes the stage 451 4.3.0, never a pass.
/// </summary>
public sealed class RelayPolicy : IPolicyEngine, IRelayTrust
{
    private const string LookupStep = "table lookup";
    private readonly Func<ILocalRecipients> _localRecipients;
    private readonly RelayPolicyOptions _options;
    private readonly PolicyMaps _maps;
    private readonly RelayDomainSet _relayDomains;
    private readonly RelayDomainTable? _relayDomainTable;
    private readonly RestrictionEngine _engine;
    private readonly CommandRestrictions _commands = new();
    private readonly ClientRelayTrust _trust;
    private readonly AccessNeeds[] _needs;
    private readonly AccessNeeds _trustNeeds;

    /// <param name="localRecipients">The local users and aliases as they are now.</param>
    /// <param name="options">Relay settings and restriction lists.</param>
    /// <param name="accessMap">The access map as it is now; null: none.</param>
    /// <param name="senderLogins">The sender login map as it is now; when set, reject_sender_login_mismatch heads the sender restrictions.</param>
    /// <exception cref="ArgumentException">A restriction list is not valid (the configuration binder checks first).</exception>
    public RelayPolicy(Func<ILocalRecipients> localRecipients, RelayPolicyOptions options, Func<AccessMap>? accessMap = null, Func<SenderLoginMap>? senderLogins = null)
        : this(localRecipients, options, new PolicyMaps
        {
            Access = accessMap is null ? null : AccessMapSource.File(accessMap),
            SenderLogins = senderLogins is null ? null : SenderLoginSource.File(senderLogins),
        })
    {
    }

    /// <param name="localRecipients">The local users and aliases as they are now.</param>
    /// <param name="options">Relay settings and restriction lists.</param>
    /// <param name="maps">The maps, from files or tables.</param>
    /// <exception cref="ArgumentException">A restriction list is not valid (the configuration binder checks first).</exception>
    public RelayPolicy(Func<ILocalRecipients> localRecipients, RelayPolicyOptions options, PolicyMaps maps)
    {
        ArgumentNullException.ThrowIfNull(localRecipients);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(maps);
        _localRecipients = localRecipients;
        _options = options;
        _maps = maps;
        _relayDomains = new RelayDomainSet(options.RelayDomains);
        _relayDomainTable = maps.RelayDomains is { } table ? new RelayDomainTable(table) : null;
        _engine = new RestrictionEngine(options.Restrictions, maps.SenderLogins is null ? null : [new RejectSenderLoginMismatch()]);
        _trust = new ClientRelayTrust(options.Restrictions);
        _needs = [.. Enum.GetValues<RestrictionStage>().Select(stage => options.Restrictions.For(stage).Aggregate(AccessNeeds.None, (needs, name) => needs | AccessNeedsOf.Restriction(name)))];
        _trustNeeds = _trust.Names.Aggregate(AccessNeeds.None, (needs, name) => needs | AccessNeedsOf.Restriction(name));
    }

    /// <summary>
    /// The client may relay whatever the recipient: a local submission (the sendmail command, the
    /// maildrop), or a client that the recipient list's client restrictions (check_client_access,
    /// permit_relay_networks, permit_sasl_authenticated, permit_tls_clientcerts) grant relaying,
    /// with the access map as it is now. Mail merely passing through from outside never is.
    /// With an access map in a database this waits for the lookup; prefer <see cref="MayRelayAsync"/>.
    /// </summary>
    public bool MayRelay(SessionFacts session) => Synchronously.Wait(MayRelayAsync(session, CancellationToken.None));

    /// <summary><see cref="MayRelay"/>, reading a table first when the access map is one; a table that cannot answer grants nothing.</summary>
    public async ValueTask<bool> MayRelayAsync(SessionFacts session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.IsLocalSubmission)
        {
            return true;
        }
        try
        {
            var context = await ContextAsync(RestrictionStage.Rcpt, session, _trustNeeds, cancellationToken);
            return _trust.MayRelay(context);
        }
        catch (LookupTableUnavailableException)
        {
            return false;
        }
    }

    public StageEvaluation EvaluateConnect(SessionFacts session) => Synchronously.Wait(EvaluateConnectAsync(session, CancellationToken.None));

    public StageEvaluation EvaluateHelo(SessionFacts session, string heloName) => Synchronously.Wait(EvaluateHeloAsync(session, heloName, CancellationToken.None));

    public StageEvaluation EvaluateSender(SessionFacts session, Mailbox? sender) => Synchronously.Wait(EvaluateSenderAsync(session, sender, CancellationToken.None));

    public StageEvaluation EvaluateRecipient(SessionFacts session, Mailbox? sender, Mailbox recipient) =>
        Synchronously.Wait(EvaluateRecipientAsync(session, sender, recipient, CancellationToken.None));

    public StageEvaluation EvaluateData(SessionFacts session, Mailbox? sender) => Synchronously.Wait(EvaluateDataAsync(session, sender, CancellationToken.None));

    public ValueTask<StageEvaluation> EvaluateConnectAsync(SessionFacts session, CancellationToken cancellationToken) =>
        EvaluateAsync(RestrictionStage.Connect, session, cancellationToken);

    public ValueTask<StageEvaluation> EvaluateHeloAsync(SessionFacts session, string heloName, CancellationToken cancellationToken) =>
        EvaluateAsync(RestrictionStage.Helo, session, cancellationToken, heloName: heloName);

    public ValueTask<StageEvaluation> EvaluateSenderAsync(SessionFacts session, Mailbox? sender, CancellationToken cancellationToken) =>
        EvaluateAsync(RestrictionStage.Mail, session, cancellationToken, hasSender: true, sender: sender);

    public ValueTask<StageEvaluation> EvaluateRecipientAsync(SessionFacts session, Mailbox? sender, Mailbox recipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return EvaluateAsync(RestrictionStage.Rcpt, session, cancellationToken, hasSender: true, sender: sender, recipient: recipient);
    }

    public ValueTask<StageEvaluation> EvaluateDataAsync(SessionFacts session, Mailbox? sender, CancellationToken cancellationToken) =>
        EvaluateAsync(RestrictionStage.Data, session, cancellationToken, hasSender: true, sender: sender);

    public async ValueTask<PolicyDecision> CheckConnectAsync(SessionFacts session, CancellationToken cancellationToken) =>
        (await EvaluateConnectAsync(session, cancellationToken)).Decision;

    public async ValueTask<PolicyDecision> CheckHeloAsync(SessionFacts session, string heloName, CancellationToken cancellationToken) =>
        (await EvaluateHeloAsync(session, heloName, cancellationToken)).Decision;

    /// <summary>reject_plaintext_session and reject_unauthenticated_session, in effect where the listener requires TLS or AUTH.</summary>
    public ValueTask<PolicyDecision> CheckCommandAsync(SessionFacts session, string verb, CommandNeeds needs, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_commands.Decide(session, needs));

    public async ValueTask<PolicyDecision> CheckSenderAsync(SessionFacts session, Mailbox? sender, CancellationToken cancellationToken) =>
        (await EvaluateSenderAsync(session, sender, cancellationToken)).Decision;

    public async ValueTask<PolicyDecision> CheckRecipientAsync(
        SessionFacts session,
        Mailbox? sender,
        Mailbox recipient,
        CancellationToken cancellationToken) =>
        (await EvaluateRecipientAsync(session, sender, recipient, cancellationToken)).Decision;

    public async ValueTask<PolicyDecision> CheckDataAsync(SessionFacts session, Envelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return (await EvaluateDataAsync(session, envelope.Sender, cancellationToken)).Decision;
    }

    private async ValueTask<StageEvaluation> EvaluateAsync(
        RestrictionStage stage,
        SessionFacts session,
        CancellationToken cancellationToken,
        bool hasSender = false,
        Mailbox? sender = null,
        Mailbox? recipient = null,
        string? heloName = null)
    {
        RestrictionContext context;
        try
        {
            context = await ContextAsync(stage, session, _needs[(int)stage], cancellationToken, hasSender, sender, recipient);
        }
        catch (LookupTableUnavailableException e)
        {
            // The stage cannot be judged: 451 whatever the restrictions would have said, so a map
            // that would refuse never lets mail through while it cannot be read.
            var reply = PolicyReplies.TemporaryLookupFailure;
            var result = RestrictionResult.Reject(reply, e.Message);
            return new StageEvaluation(stage, [new RestrictionStep(LookupStep, result)], PolicyDecision.TempFail(reply, LookupStep + " failed: " + e.Message) with { Rule = "lookup" });
        }
        return _engine.Evaluate(context with { HeloName = heloName ?? context.HeloName, Sender = sender, Recipient = recipient });
    }

    /// <summary>The context of a decision, with the rows of every table the stage can consult read first.</summary>
    private async ValueTask<RestrictionContext> ContextAsync(
        RestrictionStage stage,
        SessionFacts session,
        AccessNeeds needs,
        CancellationToken cancellationToken,
        bool hasSender = false,
        Mailbox? sender = null,
        Mailbox? recipient = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        var remote = session.Remote.Address;
        var query = new AccessQuery(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote, session.Tls?.Peer, hasSender, sender, recipient);
        var map = _maps.Access is { } access ? await access.ViewAsync(needs, query, cancellationToken) : AccessMap.Empty;
        var logins = SenderLoginMap.Empty;
        if (_maps.SenderLogins is { } source && stage == RestrictionStage.Mail && session.SaslLogin is not null && sender is not null)
        {
            logins = await source.ViewAsync(sender, cancellationToken);
        }
        var relayDomains = _relayDomains;
        ILocalRecipients local;
        if (stage == RestrictionStage.Rcpt && recipient is { IsDomainLiteral: false })
        {
            if (_relayDomainTable is not null)
            {
                relayDomains = await _relayDomainTable.ViewAsync(recipient.Domain, cancellationToken);
            }
            local = _maps.Recipients is { } recipients ? await recipients.ResolveAsync(recipient, cancellationToken) : _localRecipients();
        }
        else
        {
            local = _localRecipients();
        }
        return new RestrictionContext(stage, session, local, map, relayDomains, _options.RelayNetworks)
        {
            HeloName = session.HeloName,
            SenderLogins = logins,
        };
    }
}
