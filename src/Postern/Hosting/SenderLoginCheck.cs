using Postern.Core.Addressing;
using Postern.Policy.Auth;
using Postern.Server.Auth;

namespace Postern.Hosting;

/// <summary>The server's sender binding seam over the SIGHUP-reloadable map from Postern.Policy.</summary>
internal sealed class SenderLoginCheck(Reloadable<SenderLoginMap> map) : ISenderLoginMap
{
    public bool IsOwnedBy(Mailbox sender, string user) => map.Current.IsOwnedBy(sender, user);
}
