namespace Postern.Protocol.Sasl.Server;

/// <summary>The authentication identity (whose credentials were proved) and the authorization identity (who acts).</summary>
public sealed record SaslIdentity(string AuthenticationId, string AuthorizationId);
