using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;

namespace Postern.Delivery.Routing;

/// <summary>
/// Picks a transport per recipient: local domains go to the local transport; everything else is
/// refused, since Postern does not relay yet (smarthost and MX transports come here later).
/// Each transport gets its recipients in one call; outcomes come back in input order.
/// </summary>
public sealed class DeliveryRouter : ITransport
{
    public const string ErrorMailer = "error";

    private static readonly SmtpReply RelayingDenied = new(550, "5.7.1", "Relaying denied");

    private readonly Func<ILocalRecipients> _localRecipients;
    private readonly ITransport _local;

    /// <param name="localRecipients">The current local domains; called once per message so a reload applies.</param>
    /// <param name="local">The transport for local domains.</param>
    public DeliveryRouter(Func<ILocalRecipients> localRecipients, ITransport local)
    {
        _localRecipients = localRecipients;
        _local = local;
    }

    public async ValueTask<IReadOnlyList<RecipientOutcome>> DeliverAsync(
        QueuedMessage message,
        IReadOnlyList<EnvelopeRecipient> recipients,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        var localRecipients = _localRecipients();
        var outcomes = new RecipientOutcome?[recipients.Count];
        var localPositions = new List<int>();
        for (var i = 0; i < recipients.Count; i++)
        {
            if (localRecipients.IsLocalDomain(recipients[i].Address.Domain))
            {
                localPositions.Add(i);
            }
            else
            {
                outcomes[i] = new RecipientOutcome(recipients[i], DeliveryStatus.Failed, RelayingDenied, ErrorMailer, string.Empty);
            }
        }
        if (localPositions.Count > 0)
        {
            var batch = localPositions.Select(i => recipients[i]).ToList();
            var results = await _local.DeliverAsync(message, batch, cancellationToken);
            if (results.Count != batch.Count)
            {
                throw new InvalidOperationException($"Transport returned {results.Count} outcomes for {batch.Count} recipients");
            }
            for (var j = 0; j < localPositions.Count; j++)
            {
                outcomes[localPositions[j]] = results[j];
            }
        }
        return outcomes.Select(o => o!).ToList();
    }
}
