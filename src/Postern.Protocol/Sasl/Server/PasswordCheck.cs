using Postern.Core.Auth;

namespace Postern.Protocol.Sasl.Server;

/// <summary>PLAIN and LOGIN: verify a password against the stored slow hash.</summary>
internal static class PasswordCheck
{
    /// <summary>
    /// Unknown users, disabled users and users without a password hash cost one dummy PBKDF2 run,
    /// so neither the reply nor the time tells them from a wrong password.
    /// </summary>
    public static async ValueTask<SaslStep> VerifyAsync(
        string mechanism, SaslServerContext context, SaslServerSettings settings,
        string authenticationId, string password, string? authorizationId, CancellationToken cancellationToken)
    {
        var (user, failure) = await UserLookup.FindAsync(mechanism, context, authenticationId, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }
        var verified = user?.PasswordHash is { } hash
            ? PasswordHash.Verify(password, hash)
            : PasswordHash.VerifyDummy(password, settings.DummyPasswordIterations);
        return verified
            ? SaslOutcomes.Authorize(mechanism, user!.Name, authorizationId)
            : SaslOutcomes.BadCredentials(mechanism, authenticationId);
    }
}
