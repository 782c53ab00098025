using Postern.Core.Auth;

namespace Postern.Server.Auth;

/// <summary>
/// The user directory one AUTH exchange sees: it remembers the user name the mechanism looked up
/// (so failures count per user without the mechanism reporting it), and hides users whose name is
/// blocked, so they fail exactly as an unknown user does.
/// </summary>
internal sealed class ExchangeUserDirectory(IUserDirectory inner, AuthFailureLimiter limiter) : IUserDirectory
{
    /// <summary>The last user name the mechanism asked for, or null.</summary>
    public string? UserName { get; private set; }

    public ValueTask<UserRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        UserName = name;
        return limiter.IsUserBlocked(name) ? ValueTask.FromResult<UserRecord?>(null) : inner.FindAsync(name, cancellationToken);
    }

    public ValueTask<UserRecord?> FindByCertificateAsync(string fingerprintSha256, CancellationToken cancellationToken) =>
        inner.FindByCertificateAsync(fingerprintSha256, cancellationToken);
}
