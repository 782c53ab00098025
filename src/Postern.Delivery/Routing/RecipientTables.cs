using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Delivery.Local;
using Postern.Delivery.Virtual;

namespace Postern.Delivery.Routing;

/// <summary>
/// Answers the RCPT stage's questions about one recipient when aliases or virtual mailboxes are
/// tables: a local recipient gets the directory with the alias rows it can reach; a recipient in a
/// virtual mailbox domain is known exactly when the mailbox map lists it (else 550 5.1.1), and its
/// domain is one Postern serves. With neither, the local directory answers alone, as it always has.
/// </summary>
public sealed class RecipientTables(Func<LocalRecipientDirectory> directory, AliasTable? aliases, VirtualMailboxes? virtualMailboxes) : IRecipientResolver
{
    public async ValueTask<ILocalRecipients> ResolveAsync(Mailbox recipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var local = directory();
        if (recipient.IsDomainLiteral)
        {
            return local;
        }
        if (local.IsLocalDomain(recipient.Domain))
        {
            return aliases is null ? local : await aliases.ResolveAsync(local, [recipient.LocalPart], cancellationToken);
        }
        if (virtualMailboxes is not null && await virtualMailboxes.IsVirtualDomainAsync(recipient.Domain, cancellationToken))
        {
            var known = await virtualMailboxes.MailboxOfAsync(recipient, cancellationToken) is not null;
            return new VirtualRecipient(local, recipient.Domain, known);
        }
        return local;
    }

    /// <summary>The local directory, plus one virtual domain and whether the recipient asked about is listed in it.</summary>
    private sealed class VirtualRecipient(ILocalRecipients local, string domain, bool known) : ILocalRecipients
    {
        public bool IsLocalDomain(string name) => local.IsLocalDomain(name) || Same(name);

        public LocalRecipientStatus Lookup(Mailbox mailbox)
        {
            ArgumentNullException.ThrowIfNull(mailbox);
            if (!Same(mailbox.Domain))
            {
                return local.Lookup(mailbox);
            }
            return known ? LocalRecipientStatus.Known : LocalRecipientStatus.Unknown;
        }

        private bool Same(string name) =>
            string.Equals(name.TrimEnd('.'), domain.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
    }
}
