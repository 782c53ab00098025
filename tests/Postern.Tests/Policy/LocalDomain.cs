using Postern.Core.Addressing;
using Postern.Core.Delivery;

namespace Postern.Tests.Policy;

/// <summary>One local domain whose every user gets the same lookup answer.</summary>
internal sealed class LocalDomain(string domain, LocalRecipientStatus status) : ILocalRecipients
{
    public bool IsLocalDomain(string name) => string.Equals(name, domain, StringComparison.OrdinalIgnoreCase);

    public LocalRecipientStatus Lookup(Mailbox mailbox) => status;
}
