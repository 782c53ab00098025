using Postern.Core.Addressing;

namespace Postern.Server.Auth;

/// <summary>
/// Which envelope senders an authenticated user may use (Postfix's smtpd_sender_login_maps with
/// reject_authenticated_sender_login_mismatch). The executable adapts Postern.Policy's map to it.
/// </summary>
public interface ISenderLoginMap
{
    /// <summary>True when <paramref name="user"/> (the SASL authorization identity) owns <paramref name="sender"/>.</summary>
    bool IsOwnedBy(Mailbox sender, string user);
}
