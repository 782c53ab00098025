using Postern.Core.Delivery;
using Postern.Core.Queueing;

namespace Postern.Delivery.Routing;

/// <summary>
/// Picks a transport per recipient: local domains go to the local transport; everything else to
/// the relay transport (smart host, routes, MX) when there is one, and is refused otherwise.
/// Address literals outside the local domains are never relayed.
/// Each transport gets its recipients in one call; outcomes come back in input order.
/// </summary>
public sealed class DeliveryRouter : ITransport
{
    public const string ErrorMailer = "error";

    private readonly Func<ILocalRecipients> _localRecipients;
    private readonly ITransport _local;
    private readonly ITransport? _relay;

    /// <param name="localRecipients">The current local domains; called once per message so a reload applies.</param>
    /// <param name="local">The transport for local domains.</param>
    public DeliveryRouter(Func<ILocalRecipients> localRecipients, ITransport local)
        : this(localRecipients, local, relay: null)
    {
    }

    /// <param name="localRecipients">The current local domains; called once per message so a reload applies.</param>
    /// <param name="local">The transport for local domains.</param>
    /// <param name="relay">The transport for every other domain; null to refuse them with 550 5.7.1.</param>
    public DeliveryRouter(Func<ILocalRecipients> localRecipients, ITransport local, ITransport? relay)
    {
        _localRecipients = localRecipients;
        _local = local;
        _relay = relay;
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
        for (var i = 0; i < recipients.Count; i++)
        {
            var address = recipients[i].Address;
            if (localRecipients.IsLocalDomain(address.Domain))
            {
                localPositions.Add(i);
            }
            else if (_relay is not null && !address.IsDomainLiteral)
            {
                relayPositions.Add(i);
            }
            else
            {
                outcomes[i] = new RecipientOutcome(recipients[i].Recipient, DeliveryStatus.Failed, DeliveryReplies.RelayingDenied, ErrorMailer, string.Empty);
            }
        }
        await DeliverBatchAsync(_local, message, recipients, localPositions, outcomes, cancellationToken);
        if (_relay is not null)
        {
            await DeliverBatchAsync(_relay, message, recipients, relayPositions, outcomes, cancellationToken);
        }
        return outcomes.Select(o => o!).ToList();
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
