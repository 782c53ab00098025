using Postern.Core.Addressing;

namespace Postern.Core.Delivery;

/// <summary>The local domains and who receives mail in them (users and aliases).</summary>
public interface ILocalRecipients
{
    bool IsLocalDomain(string domain);

    /// <summary>Whether <paramref name="mailbox"/>, in a local domain, is a user or alias.</summary>
    LocalRecipientStatus Lookup(Mailbox mailbox);
}
