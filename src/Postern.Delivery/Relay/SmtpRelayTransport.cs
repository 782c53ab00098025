using Microsoft.Extensions.Logging;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Core.Tls;
using Postern.Core.TlsReporting;
using Postern.Delivery.Security;

namespace Postern.Delivery.Relay;

/// <summary>
/// Delivers to non-local recipients over SMTP: groups them by domain, asks the router where each
/// domain's mail goes and the planner what each host's session must prove (DANE, MTA-STS, the
/// configured level; hosts the plan rules out are deferred with its reason), sends the domains
/// that share a first host and requirement in one transaction, and tries
/// each domain's further hosts in order until each recipient has a definitive answer
/// (a 4xx from one host sends the recipient on to the next; when all hosts are tried it is
/// deferred with the last reply). The bytes sent are exactly the spooled bytes, dot-stuffed only,
/// so DKIM signatures still verify (MailKit would re-serialize the message: see docs/delivery.md).
/// A session that finished a message cleanly is kept for the next message to the same host, for
/// <see cref="RelayClientOptions.IdleTimeout"/>; dispose QUITs the ones still kept. An R-mode
/// DELIVERBY deadline already past is the queue runner's to enforce: it never hands such
/// recipients over (the client still refuses a by-time run out while connecting).
/// </summary>
public sealed class SmtpRelayTransport : ITransport, IAsyncDisposable
{
    public const string MailerName = SmtpRelayClient.MailerName;

    private readonly IRelayRouter _router;
    private readonly IClientTlsContext _tls;
    private readonly RelayClientOptions _options;
    private readonly RelayIdentities _identities;
    private readonly TimeProvider _time;
    private readonly ILogger<SmtpRelayTransport> _logger;
    private readonly RelaySessionPool _sessions;
    private readonly DestinationSecurityPlanner _planner;
    private readonly TlsSessionAccounting _accounting;

    /// <param name="router">Where each domain's mail goes.</param>
    /// <param name="tls">Postern's client certificate and the PKIX verification of servers.</param>
    /// <param name="options">Timeouts, HELO name, session limits.</param>
    /// <param name="identities">AUTH credentials and client certificates by sender, route and host; null for none.</param>
    /// <param name="time">Every deadline.</param>
    /// <param name="logger">The mail log.</param>
    /// <param name="planner">Decides each host's TLS requirement.</param>
    /// <param name="recorder">Counts sessions for TLS-RPT; null for none.</param>
    /// <param name="metrics">Counts sessions by requirement and result; null for none.</param>
    public SmtpRelayTransport(
        IRelayRouter router,
        IClientTlsContext tls,
        RelayClientOptions options,
        RelayIdentities? identities,
        TimeProvider time,
        ILogger<SmtpRelayTransport> logger,
        DestinationSecurityPlanner planner,
        ITlsSessionRecorder? recorder = null,
        TlsPolicyMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(planner);
        _planner = planner;
        _accounting = new TlsSessionAccounting(recorder, metrics, time);
        _router = router;
        _tls = tls;
        _options = options;
        _identities = identities ?? new RelayIdentities();
        _time = time;
        _logger = logger;
        _sessions = new RelaySessionPool(options.MaxPerDestination, options.IdleTimeout, time);
    }

    /// <summary>Sessions kept open for reuse right now.</summary>
    internal int IdleSessions => _sessions.IdleCount;

    public async ValueTask<IReadOnlyList<RecipientOutcome>> DeliverAsync(
        QueuedMessage message,
        IReadOnlyList<DeliveryRecipient> recipients,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(recipients);
        // Grouped and sent by position in this call; the envelope position does not matter on the wire.
        var asked = recipients.Select(r => r.Recipient).ToArray();
        var outcomes = new RecipientOutcome?[asked.Length];
        var routes = new List<Route>();
        bool? relaxed = null;
        var byDomain = Enumerable.Range(0, asked.Length)
            .GroupBy(i => asked[i].Address.Domain.TrimEnd('.'), StringComparer.OrdinalIgnoreCase);
        foreach (var group in byDomain)
        {
            var positions = group.ToArray();
            var destination = await _router.ResolveAsync(group.Key, cancellationToken);
            switch (destination.Status)
            {
                case RelayDestinationStatus.PermanentFailure:
                    var failure = destination.IsNullMx ? DeliveryReplies.NullMx(group.Key) : DeliveryReplies.DomainUnreachable(group.Key, destination.Problem);
                    Set(outcomes, asked, positions, DeliveryStatus.Failed, failure, group.Key);
                    break;
                case RelayDestinationStatus.TemporaryFailure:
                    Set(outcomes, asked, positions, DeliveryStatus.Deferred, DeliveryReplies.RoutingDeferred(group.Key, destination.Problem), group.Key);
                    break;
                default:
                    if (TlsRequiredHeader.HasRecipientPolicies(destination))
                    {
                        relaxed ??= await TlsRequiredHeader.RelaxesPoliciesAsync(message, cancellationToken);
                        destination = relaxed.Value ? TlsRequiredHeader.WithoutRecipientPolicies(destination) : destination;
                    }
                    routes.Add(new Route(group.Key, positions, destination, await _planner.PlanAsync(group.Key, destination, cancellationToken)));
                    break;
            }
        }
        // Domains whose first host is the same (a smart host, a shared MX) go in one transaction:
        // one MAIL, every RCPT, one DATA, so a crash mid-way cannot resend one domain's copy while
        // another's is in flight. Later hosts are fallbacks per domain.
        foreach (var shared in routes.Where(r => r.Hosts.Count > 0).GroupBy(r => (FirstHostKey(message, r), r.Hosts[0].Skip)))
        {
            var first = new HostAttempt(shared.First().Hosts[0], [.. shared.Select(r => r.Hosts[0])]);
            var together = shared.SelectMany(r => r.Positions).Order().ToArray();
            await DeliverToHostsAsync(message, asked, together, [first], shared.First().Destination, outcomes, cancellationToken);
            foreach (var route in shared)
            {
                var waiting = route.Positions.Where(i => RequireTlsGate.StillWaiting(outcomes[i]!)).ToArray();
                if (waiting.Length > 0)
                {
                    await DeliverToHostsAsync(message, asked, waiting, route.Hosts.Skip(1).Select(HostAttempt.Alone), route.Destination, outcomes, cancellationToken);
                }
            }
        }
        foreach (var route in routes)
        {
            Set(outcomes, asked, route.Positions, DeliveryStatus.Deferred, DeliveryReplies.NoHosts(route.Domain), route.Domain);
        }
        return outcomes.Select(o => o!).ToArray();
    }

    private RelaySessionKey FirstHostKey(QueuedMessage message, Route route) =>
        RelaySessionKey.For(route.Hosts[0], _identities.For(message.Envelope.Sender, route.Destination, route.Hosts[0].Host));

    /// <summary>Host by host until no recipient is left waiting; a deferred recipient keeps its last outcome.</summary>
    private async ValueTask DeliverToHostsAsync(
        QueuedMessage message,
        EnvelopeRecipient[] recipients,
        int[] positions,
        IEnumerable<HostAttempt> attempts,
        RelayDestination destination,
        RecipientOutcome?[] outcomes,
        CancellationToken cancellationToken)
    {
        var waiting = positions;
        foreach (var attempt in attempts)
        {
            var host = attempt.Security.Host;
            if (attempt.Security.Skip is { } skip)
            {
                // The plan rules this host out (TLSA lookup failed, outside the MTA-STS policy, ...): no connection.
                _logger.HostSkipped(host.Name, skip.ToString());
                _accounting.Skipped(attempt);
                foreach (var i in waiting)
                {
                    outcomes[i] = new RecipientOutcome(recipients[i], DeliveryStatus.Deferred, skip, MailerName, host.Name);
                }
                continue;
            }
            var identity = _identities.For(message.Envelope.Sender, destination, host);
            var key = RelaySessionKey.For(attempt.Security, identity);
            var grant = await _sessions.AcquireAsync(key, cancellationToken);
            // From here this call holds one of the host's slots until Return or Release.
            SmtpRelayClient? client = null;
            var keep = false;
            try
            {
                if (grant.Evicted is { } evicted)
                {
                    await _sessions.CloseQuietlyAsync(evicted);
                }
                client = grant.Reused;
                if (client is not null && !await client.ResetForReuseAsync(cancellationToken))
                {
                    await client.DisposeAsync();
                    client = null;
                }
                if (client is null)
                {
                    client = new SmtpRelayClient(attempt.Security, _tls, _options, identity.Credential, _time, _logger) { ClientCertificate = identity.ClientCertificate };
                    var problem = await client.ConnectAsync(cancellationToken);
                    _accounting.Attempted(attempt, client);
                    if (problem is not null)
                    {
                        foreach (var i in waiting)
                        {
                            outcomes[i] = new RecipientOutcome(recipients[i], DeliveryStatus.Deferred, problem, MailerName, client.Relay);
                        }
                        continue;
                    }
                }
                var batch = waiting.Select(i => recipients[i]).ToArray();
                var results = await client.SendAsync(message, batch, cancellationToken);
                for (var k = 0; k < waiting.Length; k++)
                {
                    outcomes[waiting[k]] = RequireTlsGate.Merge(outcomes[waiting[k]], results[k]);
                }
                // A lost connection, a timeout or a 421 has closed the session: never reused.
                keep = client.IsOpen;
            }
            finally
            {
                if (keep)
                {
                    _sessions.Return(key, client!);
                }
                else
                {
                    if (client is not null)
                    {
                        await client.DisposeAsync();
                    }
                    _sessions.Release(key.HostName);
                }
            }
            waiting = waiting.Where(i => RequireTlsGate.StillWaiting(outcomes[i]!)).ToArray();
            if (waiting.Length == 0)
            {
                return;
            }
        }
    }

    private static void Set(RecipientOutcome?[] outcomes, EnvelopeRecipient[] recipients, int[] positions, DeliveryStatus status, SmtpReply reply, string relay)
    {
        foreach (var i in positions)
        {
            outcomes[i] ??= new RecipientOutcome(recipients[i], status, reply, MailerName, relay);
        }
    }

    private sealed record Route(string Domain, int[] Positions, RelayDestination Destination, IReadOnlyList<HostSecurity> Hosts);

    /// <summary>QUITs the sessions kept for reuse; call on shutdown, after the last delivery.</summary>
    public async ValueTask DisposeAsync() => await _sessions.DisposeAsync();
}
