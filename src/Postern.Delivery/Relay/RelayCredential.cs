using Postern.Protocol.Sasl.Client;

namespace Postern.Delivery.Relay;

/// <summary>
/// How to authenticate to one relay host. <see cref="Mechanisms"/> limits the choice (empty: any
/// the client knows). <see cref="ToString"/> never shows the password.
/// </summary>
public sealed record RelayCredential(string UserName, string? AuthorizationId, string Password, IReadOnlyList<string> Mechanisms)
{
    public SaslClientCredentials ToSasl() => new(UserName, Password, AuthorizationId);

    public override string ToString() =>
        $"RelayCredential {{ UserName = {UserName}, AuthorizationId = {AuthorizationId}, Mechanisms = {string.Join(' ', Mechanisms)} }}";
}
