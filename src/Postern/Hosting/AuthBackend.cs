using Postern.Core.Auth;
using Postern.Protocol.Sasl.Server;
using Postern.Server.Auth;

namespace Postern.Hosting;

/// <summary>
/// The SASL mechanisms, the user store and the certificate identities `postern serve` runs SMTP
/// AUTH with, registered as one singleton. <see cref="NotConfigured"/> has no mechanism, so no
/// listener offers AUTH (tests of other parts use it).
/// </summary>
internal sealed record AuthBackend(IReadOnlyList<ISaslServerMechanismFactory> Mechanisms, IUserDirectory Users)
{
    public static AuthBackend NotConfigured { get; } = new([], new EmptyUserDirectory());

    /// <summary>Who a verified client certificate is for EXTERNAL; null: users bound with `postern user bind-cert` only.</summary>
    public ICertificateIdentities? CertificateIdentities { get; init; }

    private sealed class EmptyUserDirectory : IUserDirectory
    {
        public ValueTask<UserRecord?> FindAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult<UserRecord?>(null);

        public ValueTask<UserRecord?> FindByCertificateAsync(string fingerprintSha256, CancellationToken cancellationToken) =>
            ValueTask.FromResult<UserRecord?>(null);
    }
}
