using Postern.Core.Queueing;
using Postern.Queue;

namespace Postern.Cli.Flush;

/// <summary>
/// The messages a flush asks the daemon to attempt, taken from the spool before the request:
/// those not on hold with a recipient still to deliver (in the domain, for a domain flush), each
/// with its attempt count. A message counts as attempted once it has left the queue, been put on
/// hold, or journaled another attempt (a deferral), which is the point the flush drives it to.
/// </summary>
internal sealed class FlushBacklog
{
    private readonly Dictionary<QueueId, int> _attempts;

    private FlushBacklog(Dictionary<QueueId, int> attempts) => _attempts = attempts;

    /// <summary>How many messages the flush covers.</summary>
    public int Total => _attempts.Count;

    public static FlushBacklog Take(IEnumerable<QueueMessageInfo> messages, string? domain)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var attempts = new Dictionary<QueueId, int>();
        foreach (var message in messages.Where(m => !m.Held && m.Recipients.Any(r => Waiting(r) && InDomain(r.Recipient.Address.Domain, domain))))
        {
            attempts[message.Id] = message.Attempts;
        }
        return new FlushBacklog(attempts);
    }

    /// <summary>How many of the flushed messages are still waiting for their attempt in <paramref name="messages"/> (the spool now).</summary>
    public int Left(IEnumerable<QueueMessageInfo> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages.Count(m => !m.Held && _attempts.TryGetValue(m.Id, out var before) && m.Attempts == before);
    }

    private static bool Waiting(QueueRecipientStatus recipient) =>
        recipient.State is QueueRecipientState.Pending or QueueRecipientState.Deferred;

    // As the queue runner matches a flush domain: the domain itself or any subdomain.
    private static bool InDomain(string recipientDomain, string? domain) =>
        domain is null
        || recipientDomain.Equals(domain, StringComparison.OrdinalIgnoreCase)
        || recipientDomain.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);
}
