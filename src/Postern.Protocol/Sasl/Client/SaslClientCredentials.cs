namespace Postern.Protocol.Sasl.Client;

/// <summary>Who to authenticate as. <see cref="ToString"/> never shows the password.</summary>
/// <param name="UserName">The authentication identity.</param>
/// <param name="Password">The secret.</param>
/// <param name="AuthorizationId">Who to act as, when not the user itself (empty or null: the same).</param>
public sealed record SaslClientCredentials(string UserName, string Password, string? AuthorizationId = null)
{
    public override string ToString() => $"SaslClientCredentials {{ UserName = {UserName}, AuthorizationId = {AuthorizationId} }}";
}
