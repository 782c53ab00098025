using Postern.Core.Addressing;

namespace Postern.Core.Delivery;

/// <summary>
/// Answers for one recipient from maps that may live in a database (aliases, virtual mailbox
/// domains and their mailboxes): reads what the recipient can need first, then gives an
/// <see cref="ILocalRecipients"/> whose synchronous answers about that recipient are what the whole
/// maps would say. A virtual mailbox domain counts as a domain Postern serves, and its recipients
/// are known only when the mailbox map lists them.
/// </summary>
public interface IRecipientResolver
{
    /// <exception cref="Maps.LookupTableUnavailableException">A table cannot answer now: the caller answers 451 4.3.0.</exception>
    ValueTask<ILocalRecipients> ResolveAsync(Mailbox recipient, CancellationToken cancellationToken);
}
