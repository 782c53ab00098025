namespace Postern.Protocol.Sasl.Client;

/// <summary>The client side of one SASL exchange (RFC 4422) for SMTP AUTH (RFC 4954). One instance per exchange.</summary>
public interface ISaslClientMechanism
{
    /// <summary>The IANA name: PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256.</summary>
    string Name { get; }

    /// <summary>The response sent with the AUTH command, or null when the mechanism waits for a challenge.</summary>
    byte[]? InitialResponse();

    /// <summary>The response to a server challenge; throws <see cref="SaslClientException"/> when the challenge is not acceptable.</summary>
    byte[] Respond(ReadOnlySpan<byte> challenge);

    /// <summary>Whether the server proved it knows the password (SCRAM); true for mechanisms without server proof.</summary>
    bool ServerVerified { get; }
}
