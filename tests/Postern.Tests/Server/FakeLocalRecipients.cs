using Postern.Core.Addressing;
using Postern.Core.Delivery;

namespace Postern.Tests.Server;

/// <summary>Local domain "localhost" with users user, alice and postmaster.</summary>
internal sealed class FakeLocalRecipients : ILocalRecipients
{
    private static readonly string[] Users = ["user", "alice", "postmaster"];

    public bool IsLocalDomain(string domain) =>
        domain.Equals("localhost", StringComparison.OrdinalIgnoreCase) || domain.Equals("mx.test", StringComparison.OrdinalIgnoreCase);

    public LocalRecipientStatus Lookup(Mailbox mailbox) =>
        mailbox.LocalPart == "broken" ? LocalRecipientStatus.TemporaryFailure
        : Users.Contains(mailbox.LocalPart, StringComparer.OrdinalIgnoreCase) ? LocalRecipientStatus.Known
        : LocalRecipientStatus.Unknown;
}
