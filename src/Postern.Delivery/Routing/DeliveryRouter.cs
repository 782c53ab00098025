using Postern.Core.Delivery;
using Postern.Core.Maps;
using Postern.Core.Queueing;
using Postern.Delivery.Virtual;

namespace Postern.Delivery.Routing;

/// <summary>
/// Picks a transport per recipient: local domains go to the local transport; virtual mailbox
/// domains to the virtual transport, each recipient as the mailbox the map names (one the map no
/// longer lists bounces with 5.1.1; a map that cannot be read defers); everything else to the relay
/// transport (smart host, routes, MX) when there is one, and is refused otherwise. A virtual domain
/// is never relayed onward. Address literals outside the local domains are never relayed.
/// Each transport gets its recipients in one call; outcomes come back in input order.
/// </summary>
public sealed class DeliveryRouter : ITransport
{
    public const string ErrorMailer = "error";

    /// <summary>The mailer a recipient deferred by the router itself (a table lookup) is logged with.</summary>
    public const string RouterMailer = "router";

    private readonly Func<ILocalRecipients> _localRecipients;
    private readonly ITransport _local;
    private readonly ITransport? _relay;
    private readonly VirtualDelivery? _virtual;

    /// <param name="localRecipients">The current local domains; called once per message so a reload applies.</param>
    /// <param name="local">The transport for local domains.</param>
    public DeliveryRouter(Func<ILocalRecipients> localRecipients, ITransport local)
        : this(localRecipients, local, relay: null)
    {
    }

    /// <param name="localRecipients">The current local domains; called once per message so a reload applies.</param>
    /// <param name="local">The transport for local domains.</param>
    /// <param name="relay">The transport for every other domain; null to refuse them with 550 5.7.1.</param>
    /// <param name="virtualDelivery">The virtual mailbox domains and their transport; null: none.</param>
    public DeliveryRouter(Func<ILocalRecipients> localRecipients, ITransport local, ITransport? relay, VirtualDelivery? virtualDelivery = null)
    {
        _localRecipients = localRecipients;
        _local = local;
        _relay = relay;
        _virtual = virtualDelivery;
    }

    public async ValueTask<IReadOnlyList<RecipientOutcome>> DeliverAsync(
        QueuedMessage message,
        IReadOnlyList<DeliveryRecipient> recipients,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        var localRecipients = _localRecipients();
        var outcomes = new RecipientOutcome?[recipients.Count];
        var localPositions = new List<int>();
        var relayPositions = new List<int>();
        var virtualPositions = new List<int>();
        var virtualBatch = new List<DeliveryRecipient>();
        for (var i = 0; i < recipients.Count; i++)
        {
            var address = recipients[i].Address;
            if (localRecipients.IsLocalDomain(address.Domain))
            {
                localPositions.Add(i);
                continue;
            }
            if (_virtual is not null && !address.IsDomainLiteral)
            {
                var routed = await RouteVirtualAsync(recipients[i], cancellationToken);
                if (routed.Outcome is { } outcome)
                {
                    outcomes[i] = outcome;
                    continue;
                }
                if (routed.Mailbox is { } mailbox)
                {
                    virtualPositions.Add(i);
                    virtualBatch.Add(mailbox);
                    continue;
                }
            }
            if (_relay is not null && !address.IsDomainLiteral)
            {
                relayPositions.Add(i);
            }
            else
            {
                outcomes[i] = new RecipientOutcome(recipients[i].Recipient, DeliveryStatus.Failed, DeliveryReplies.RelayingDenied, ErrorMailer, string.Empty);
            }
        }
        await DeliverBatchAsync(_local, message, recipients, localPositions, outcomes, cancellationToken);
        if (_virtual is not null && virtualBatch.Count > 0)
        {
            await DeliverVirtualAsync(_virtual.Transport, message, recipients, virtualPositions, virtualBatch, outcomes, cancellationToken);
        }
        if (_relay is not null)
        {
            await DeliverBatchAsync(_relay, message, recipients, relayPositions, outcomes, cancellationToken);
        }
        return outcomes.Select(o => o!).ToList();
    }

    /// <summary>
    /// For a recipient outside the local domains: not virtual (both null: relay or refuse), virtual
    /// with its mailbox (what the virtual transport is given), or an outcome now (unknown, or deferred).
    /// </summary>
    private async ValueTask<(DeliveryRecipient? Mailbox, RecipientOutcome? Outcome)> RouteVirtualAsync(DeliveryRecipient recipient, CancellationToken cancellationToken)
    {
        var mailboxes = _virtual!.Mailboxes;
        try
        {
            if (!await mailboxes.IsVirtualDomainAsync(recipient.Address.Domain, cancellationToken))
            {
                return (null, null);
            }
            if (await mailboxes.MailboxOfAsync(recipient.Address, cancellationToken) is not { } mailbox)
            {
                // Accepted at RCPT, removed from the map since: bounce, as an unknown local user does.
                return (null, new RecipientOutcome(recipient.Recipient, DeliveryStatus.Failed, DeliveryReplies.UserUnknown, ErrorMailer, string.Empty));
            }
            return (recipient with { Recipient = recipient.Recipient with { Address = mailbox } }, null);
        }
        catch (LookupTableUnavailableException e)
        {
            return (null, new RecipientOutcome(recipient.Recipient, DeliveryStatus.Deferred, DeliveryReplies.LookupDeferred(e.Table), RouterMailer, string.Empty));
        }
    }

    /// <summary>The virtual transport sees the mailboxes; the outcomes name the envelope's recipients again.</summary>
    private static async ValueTask DeliverVirtualAsync(
        ITransport transport,
        QueuedMessage message,
        IReadOnlyList<DeliveryRecipient> recipients,
        List<int> positions,
        List<DeliveryRecipient> batch,
        RecipientOutcome?[] outcomes,
        CancellationToken cancellationToken)
    {
        var results = await transport.DeliverAsync(message, batch, cancellationToken);
        if (results.Count != batch.Count)
        {
            throw new InvalidOperationException($"Transport returned {results.Count} outcomes for {batch.Count} recipients");
        }
        for (var j = 0; j < positions.Count; j++)
        {
            outcomes[positions[j]] = results[j] with { Recipient = recipients[positions[j]].Recipient };
        }
    }

    private static async ValueTask DeliverBatchAsync(
        ITransport transport,
        QueuedMessage message,
        IReadOnlyList<DeliveryRecipient> recipients,
        List<int> positions,
        RecipientOutcome?[] outcomes,
        CancellationToken cancellationToken)
    {
        if (positions.Count == 0)
        {
            return;
        }
        var batch = positions.Select(i => recipients[i]).ToList();
        var results = await transport.DeliverAsync(message, batch, cancellationToken);
        if (results.Count != batch.Count)
        {
            throw new InvalidOperationException($"Transport returned {results.Count} outcomes for {batch.Count} recipients");
        }
        for (var j = 0; j < positions.Count; j++)
        {
            outcomes[positions[j]] = results[j];
        }
    }
}
