using Postern.Core.Auth;
using Postern.Protocol.Sasl.Server;

namespace Postern.Server.Auth;

/// <summary>
/// What SMTP AUTH needs besides options: the mechanisms that can run, the users they check, the
/// failure limiter shared by all sessions, and the optional sender login map.
/// </summary>
public sealed record AuthServices(
    IReadOnlyList<ISaslServerMechanismFactory> Mechanisms,
    IUserDirectory Users,
    AuthFailureLimiter Limiter)
{
    /// <summary>When set, an authenticated session may only use the senders the map gives its user.</summary>
    public ISenderLoginMap? SenderLogins { get; init; }

    /// <summary>Maps a verified client certificate to the identity EXTERNAL authenticates; null: bound users only.</summary>
    public ICertificateIdentities? CertificateIdentities { get; init; }

    /// <summary>The factory for <paramref name="name"/> (case-insensitive), or null.</summary>
    public ISaslServerMechanismFactory? Find(string name) =>
        Mechanisms.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}
