using Postern.Core.Auth;

namespace Postern.Protocol.Sasl.Server;

/// <summary>Looks a claimed identity up; disabled users and names SASLprep refuses count as unknown.</summary>
internal static class UserLookup
{
    /// <returns>The user (null when unknown), or a temporary failure when the store could not be read.</returns>
    public static async ValueTask<(UserRecord? User, SaslStep? Failure)> FindAsync(
        string mechanism, SaslServerContext context, string claimedName, CancellationToken cancellationToken)
    {
        var name = SaslPrep.Prepare(claimedName);
        if (name is null || name.Length == 0)
        {
            return (null, null);
        }
        try
        {
            var user = await context.Users.FindAsync(name, cancellationToken).ConfigureAwait(false);
            return (user is { Disabled: false } ? user : null, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The store's message names the file and line, never a secret.
            return (null, SaslStep.Fail(SaslFailureReason.TemporaryFailure, $"{mechanism}: user store unavailable: {e.Message}", claimedName));
        }
    }
}
