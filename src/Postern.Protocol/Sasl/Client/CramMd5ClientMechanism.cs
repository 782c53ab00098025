using System.Security.Cryptography;
using System.Text;

namespace Postern.Protocol.Sasl.Client;

/// <summary>RFC 2195 CRAM-MD5: "user HEX(HMAC-MD5(password, challenge))". Old, but the password never crosses the wire.</summary>
public sealed class CramMd5ClientMechanism(SaslClientCredentials credentials) : ISaslClientMechanism
{
    private bool _answered;

    public string Name => "CRAM-MD5";

    public bool ServerVerified => true;

    public byte[]? InitialResponse() => null;

    public byte[] Respond(ReadOnlySpan<byte> challenge)
    {
        if (_answered || challenge.IsEmpty)
        {
            throw new SaslClientException("CRAM-MD5 expects exactly one non-empty challenge");
        }
        _answered = true;
#pragma warning disable CA5351 // CRAM-MD5 is defined with HMAC-MD5; servers that offer it expect it.
        var digest = HMACMD5.HashData(Encoding.UTF8.GetBytes(credentials.Password), challenge);
#pragma warning restore CA5351
        return Encoding.UTF8.GetBytes(credentials.UserName + " " + Convert.ToHexStringLower(digest));
    }
}
