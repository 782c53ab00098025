using System.Text;

namespace Postern.Protocol.Sasl.Client;

/// <summary>RFC 4616 PLAIN: authzid NUL authcid NUL password, in one initial response. Only over TLS.</summary>
public sealed class PlainClientMechanism(SaslClientCredentials credentials) : ISaslClientMechanism
{
    public string Name => "PLAIN";

    public bool ServerVerified => true;

    public byte[]? InitialResponse() =>
        Encoding.UTF8.GetBytes((credentials.AuthorizationId ?? string.Empty) + "\0" + credentials.UserName + "\0" + credentials.Password);

    // Servers that ignore the initial response send an empty challenge: answer it the same way.
    public byte[] Respond(ReadOnlySpan<byte> challenge) =>
        challenge.IsEmpty ? InitialResponse()! : throw new SaslClientException("PLAIN takes no challenge");
}
