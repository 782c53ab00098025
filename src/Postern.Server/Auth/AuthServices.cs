using Postern.Core.Auth;
using Postern.Protocol.Sasl.Server;

namespace Postern.Server.Auth;

/// <summary>
/// What SMTP AUTH needs besides options: the mechanisms that can run, the users they check, the
/// failure limiter shared by all sessions, and how client certificates map to users.
/// </summary>
public sealed record AuthServices(
    IReadOnlyList<ISaslServerMechanismFactory> Mechanisms,
    IUserDirectory Users,
    AuthFailureLimiter Limiter)
{
    /// <summary>Maps a verified client certificate to the identity EXTERNAL authenticates; null: bound users only.</summary>
    public ICertificateIdentities? CertificateIdentities { get; init; }

    /// <summary>The factory for <paramref name="name"/> (case-insensitive), or null.</summary>
    public ISaslServerMechanismFactory? Find(string name) =>
        Mechanisms.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}
