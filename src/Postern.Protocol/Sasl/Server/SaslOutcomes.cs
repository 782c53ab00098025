namespace Postern.Protocol.Sasl.Server;

/// <summary>The endings every mechanism shares, worded the same way for each.</summary>
internal static class SaslOutcomes
{
    public static SaslStep Malformed(string mechanism, string what) => SaslStep.Fail(SaslFailureReason.Malformed, $"{mechanism}: {what}");

    /// <summary>Unknown user and wrong password alike: the detail does not say which.</summary>
    public static SaslStep BadCredentials(string mechanism, string? attemptedUser) =>
        SaslStep.Fail(SaslFailureReason.BadCredentials, $"{mechanism}: authentication failed for {SaslText.ForLog(attemptedUser)}", attemptedUser);

    public static SaslStep AlreadyComplete(string mechanism) => Malformed(mechanism, "response after the exchange ended");

    /// <summary>
    /// Success when <paramref name="authorizationId"/> is empty or names the authenticated user
    /// (user names compare case-insensitively); anyone else is refused: no proxy authorization.
    /// </summary>
    public static SaslStep Authorize(string mechanism, string authenticated, string? authorizationId, ReadOnlyMemory<byte> finalData = default)
    {
        if (string.IsNullOrEmpty(authorizationId) || string.Equals(authorizationId, authenticated, StringComparison.OrdinalIgnoreCase))
        {
            return SaslStep.Succeed(new SaslIdentity(authenticated, authenticated), finalData);
        }
        return SaslStep.Fail(SaslFailureReason.AuthorizationRefused,
            $"{mechanism}: {SaslText.ForLog(authenticated)} may not act as {SaslText.ForLog(authorizationId)}", authenticated);
    }
}
