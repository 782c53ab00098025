namespace Postern.Core.Auth;

/// <summary>The users who may authenticate (SMTP AUTH) and the credentials they prove.</summary>
public interface IUserDirectory
{
    /// <summary>The user named <paramref name="name"/> (case-insensitive), or null when there is none.</summary>
    ValueTask<UserRecord?> FindAsync(string name, CancellationToken cancellationToken);

    /// <summary>The user bound to the certificate with this SHA-256 fingerprint (lower-case hex), or null.</summary>
    ValueTask<UserRecord?> FindByCertificateAsync(string fingerprintSha256, CancellationToken cancellationToken);
}
