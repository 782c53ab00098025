using System.Text;

namespace Postern.Protocol.Sasl.Client;

/// <summary>The LOGIN mechanism (draft-murchison-sasl-login): user name, then password, each on request. Only over TLS.</summary>
public sealed class LoginClientMechanism(SaslClientCredentials credentials) : ISaslClientMechanism
{
    private int _step;

    public string Name => "LOGIN";

    public bool ServerVerified => true;

    public byte[]? InitialResponse() => null;

    // The prompts ("Username:", "Password:") are advisory; the order is what counts.
    public byte[] Respond(ReadOnlySpan<byte> challenge) => _step++ switch
    {
        0 => Encoding.UTF8.GetBytes(credentials.UserName),
        1 => Encoding.UTF8.GetBytes(credentials.Password),
        _ => throw new SaslClientException("LOGIN got more than two challenges"),
    };
}
