using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;

namespace Postern.Delivery.Local;

/// <summary>
/// The local users' mailboxes of one message when <c>local.transport</c> hands them to a mailbox
/// server: every user target of every recipient, after alias expansion, in one call to the
/// transport (one LMTP transaction), each asked for once as <c>user@domain</c> (the recipient's
/// domain). Postern reports these deliveries itself, so no DSN request is passed on.
/// </summary>
internal static class MailboxBatch
{
    /// <summary>The results of the user targets, by (recipient position, target); users the directory does not know are left out (they fail as before).</summary>
    public static async ValueTask<Dictionary<(int Recipient, DeliveryTarget Target), TargetResult>> DeliverAsync(
        ITransport transport,
        QueuedMessage message,
        LocalRecipientDirectory directory,
        IReadOnlyList<(DeliveryRecipient Recipient, AliasExpansion Expansion)> expanded,
        CancellationToken cancellationToken)
    {
        // A mailbox reached twice (a user named directly and through an alias) is asked for once
        // and both share its reply, as Postfix suppresses duplicate deliveries of one message.
        var keys = new List<((int, DeliveryTarget) Key, int Delivery)>();
        var deliveries = new List<DeliveryRecipient>();
        var byMailbox = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < expanded.Count; i++)
        {
            var (recipient, expansion) = expanded[i];
            if (expansion.Status != ExpansionStatus.Ok)
            {
                continue;
            }
            foreach (var target in expansion.Targets.Where(t => t.Kind == DeliveryTargetKind.Mailbox && directory.IsUser(t.Value)))
            {
                var mailbox = new Mailbox(target.Value, recipient.Address.Domain.TrimEnd('.').ToLowerInvariant());
                if (!byMailbox.TryGetValue(mailbox.ToString(), out var index))
                {
                    index = deliveries.Count;
                    byMailbox[mailbox.ToString()] = index;
                    // Without NOTIFY and ORCPT: the server must not report a delivery Postern reports.
                    deliveries.Add(recipient with { Recipient = new EnvelopeRecipient(mailbox) });
                }
                keys.Add(((i, target), index));
            }
        }
        var results = new Dictionary<(int, DeliveryTarget), TargetResult>();
        if (deliveries.Count == 0)
        {
            return results;
        }
        var outcomes = await transport.DeliverAsync(message, deliveries, cancellationToken);
        if (outcomes.Count != deliveries.Count)
        {
            throw new InvalidOperationException($"Transport returned {outcomes.Count} outcomes for {deliveries.Count} recipients");
        }
        foreach (var (key, index) in keys)
        {
            results[key] = new TargetResult(key.Item2, outcomes[index].Status, outcomes[index].Reply);
        }
        return results;
    }
}
