namespace Postern.Protocol.Sasl.Server;

public enum SaslFailureReason
{
    /// <summary>The response does not follow the mechanism's syntax: 501 5.5.2.</summary>
    Malformed,

    /// <summary>Unknown user or wrong password, deliberately indistinguishable to the client: 535 5.7.8.</summary>
    BadCredentials,

    /// <summary>The authorization identity asked for is not the authenticated one: 535 5.7.8.</summary>
    AuthorizationRefused,

    /// <summary>SCRAM-PLUS channel binding did not match this TLS session: 535 5.7.8.</summary>
    ChannelBindingMismatch,

    /// <summary>The user store could not be read: 454 4.7.0.</summary>
    TemporaryFailure,
}
