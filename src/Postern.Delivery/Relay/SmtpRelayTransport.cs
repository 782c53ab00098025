using Microsoft.Extensions.Logging;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Core.Tls;

namespace Postern.Delivery.Relay;

/// <summary>
/// Delivers to non-local recipients over SMTP: groups them by domain, asks the router where each
/// domain's mail goes, sends the domains that share a first host in one transaction, and tries
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
    private readonly IRelayCredentials? _credentials;
    private readonly TimeProvider _time;
    private readonly ILogger<SmtpRelayTransport> _logger;
    private readonly RelaySessionPool _sessions;

    public SmtpRelayTransport(
        IRelayRouter router,
        IClientTlsContext tls,
        RelayClientOptions options,
        IRelayCredentials? credentials,
        TimeProvider time,
        ILogger<SmtpRelayTransport> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _router = router;
        _tls = tls;
        _options = options;
        _credentials = credentials;
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
                    routes.Add(new Route(group.Key, positions, destination));
                    break;
            }
        }
        // Domains whose first host is the same (a smart host, a shared MX) go in one transaction:
        // one MAIL, every RCPT, one DATA, so a crash mid-way cannot resend one domain's copy while
        // another's is in flight. Later hosts are fallbacks per domain.
        foreach (var shared in routes.Where(r => r.Destination.Hosts.Count > 0).GroupBy(r => FirstHostKey(r.Destination)))
        {
            var first = shared.First().Destination;
            var together = shared.SelectMany(r => r.Positions).Order().ToArray();
            await DeliverToHostsAsync(message, asked, together, [first.Hosts[0]], first.Tls, outcomes, cancellationToken);
            foreach (var route in shared)
            {
                var waiting = route.Positions.Where(i => RequireTlsGate.StillWaiting(outcomes[i]!)).ToArray();
                if (waiting.Length > 0)
                {
                    await DeliverToHostsAsync(message, asked, waiting, route.Destination.Hosts.Skip(1), route.Destination.Tls, outcomes, cancellationToken);
                }
            }
        }
        foreach (var route in routes)
        {
            Set(outcomes, asked, route.Positions, DeliveryStatus.Deferred, DeliveryReplies.NoHosts(route.Domain), route.Domain);
        }
        return outcomes.Select(o => o!).ToArray();
    }

    private RelaySessionKey FirstHostKey(RelayDestination destination)
    {
        var host = destination.Hosts[0];
        return RelaySessionKey.For(host, destination.Tls, _credentials?.Find(host.Name));
    }

    /// <summary>Host by host until no recipient is left waiting; a deferred recipient keeps its last outcome.</summary>
    private async ValueTask DeliverToHostsAsync(
        QueuedMessage message,
        EnvelopeRecipient[] recipients,
        int[] positions,
        IEnumerable<RelayHost> hosts,
        OutboundTlsPolicy tls,
        RecipientOutcome?[] outcomes,
        CancellationToken cancellationToken)
    {
        var waiting = positions;
        foreach (var host in hosts)
        {
            var credential = _credentials?.Find(host.Name);
            var key = RelaySessionKey.For(host, tls, credential);
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
                    client = new SmtpRelayClient(host, tls, _tls, _options, credential, _time, _logger);
                    if (await client.ConnectAsync(cancellationToken) is { } problem)
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

    private sealed record Route(string Domain, int[] Positions, RelayDestination Destination);

    /// <summary>QUITs the sessions kept for reuse; call on shutdown, after the last delivery.</summary>
    public async ValueTask DisposeAsync() => await _sessions.DisposeAsync();
}
