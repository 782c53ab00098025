using Postern.Core.Auth;
using Postern.Protocol.Sasl.Server;

namespace Postern.Hosting;

/// <summary>
/// The SASL mechanisms and the user store `postern serve` runs SMTP AUTH with, registered as one
/// singleton. <see cref="NotConfigured"/> has no mechanism, so no listener offers AUTH; the
/// composition root registers the real mechanisms and user file in its place.
/// </summary>
internal sealed record AuthBackend(IReadOnlyList<ISaslServerMechanismFactory> Mechanisms, IUserDirectory Users)
{
    public static AuthBackend NotConfigured { get; } = new([], new EmptyUserDirectory());

    private sealed class EmptyUserDirectory : IUserDirectory
    {
        public ValueTask<UserRecord?> FindAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult<UserRecord?>(null);

        public ValueTask<UserRecord?> FindByCertificateAsync(string fingerprintSha256, CancellationToken cancellationToken) =>
            ValueTask.FromResult<UserRecord?>(null);
    }
}
