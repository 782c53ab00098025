using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Postern.Protocol.Sasl.Client;

/// <summary>
/// RFC 5802 / RFC 7677 SCRAM-SHA-256 without channel binding ("n,,"). The password never crosses
/// the wire, and the server proves it knows the salted password: the exchange only counts once
/// the server signature (v=) has been checked. User names are not SASLprep-normalized (ASCII
/// names are unchanged by it); '=' and ',' are escaped as the RFC requires.
/// </summary>
public sealed class ScramSha256ClientMechanism : ISaslClientMechanism
{
    /// <summary>Bounds the work a server can make us do (RFC 7677 asks for at least 4096).</summary>
    private const int MaxIterations = 1_000_000;

    private readonly SaslClientCredentials _credentials;
    private readonly string _clientNonce;
    private string? _clientFirstBare;
    private byte[]? _expectedServerSignature;
    private int _step;

    public ScramSha256ClientMechanism(SaslClientCredentials credentials)
        : this(credentials, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)))
    {
    }

    /// <summary>With a fixed client nonce, for test vectors.</summary>
    internal ScramSha256ClientMechanism(SaslClientCredentials credentials, string clientNonce)
    {
        _credentials = credentials;
        _clientNonce = clientNonce;
    }

    public string Name => "SCRAM-SHA-256";

    public bool ServerVerified { get; private set; }

    private string Gs2Header => string.IsNullOrEmpty(_credentials.AuthorizationId) ? "n,," : "n,a=" + Escape(_credentials.AuthorizationId) + ",";

    public byte[]? InitialResponse()
    {
        _clientFirstBare = "n=" + Escape(_credentials.UserName) + ",r=" + _clientNonce;
        return Encoding.UTF8.GetBytes(Gs2Header + _clientFirstBare);
    }

    public byte[] Respond(ReadOnlySpan<byte> challenge)
    {
        switch (_step++)
        {
            case 0:
                return ClientFinal(Encoding.UTF8.GetString(challenge));
            case 1:
                VerifyServerFinal(Encoding.UTF8.GetString(challenge));
                return [];
            default:
                throw new SaslClientException("SCRAM exchange already complete");
        }
    }

    private byte[] ClientFinal(string serverFirst)
    {
        if (_clientFirstBare is null)
        {
            throw new SaslClientException("SCRAM server-first before client-first");
        }
        var fields = Fields(serverFirst);
        if (!fields.TryGetValue('r', out var nonce) || !fields.TryGetValue('s', out var saltText) || !fields.TryGetValue('i', out var iterationText))
        {
            throw new SaslClientException("SCRAM server-first message lacks r, s or i");
        }
        if (!nonce.StartsWith(_clientNonce, StringComparison.Ordinal) || nonce.Length == _clientNonce.Length)
        {
            throw new SaslClientException("SCRAM server nonce does not extend the client nonce");
        }
        if (!int.TryParse(iterationText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations is < 1 or > MaxIterations)
        {
            throw new SaslClientException("SCRAM iteration count out of range");
        }
        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(saltText);
        }
        catch (FormatException e)
        {
            throw new SaslClientException("SCRAM salt is not base64", e);
        }
        var withoutProof = "c=" + Convert.ToBase64String(Encoding.UTF8.GetBytes(Gs2Header)) + ",r=" + nonce;
        var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + serverFirst + "," + withoutProof);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(_credentials.Password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var clientSignature = HMACSHA256.HashData(storedKey, authMessage);
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        }
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        _expectedServerSignature = HMACSHA256.HashData(serverKey, authMessage);
        return Encoding.UTF8.GetBytes(withoutProof + ",p=" + Convert.ToBase64String(proof));
    }

    private void VerifyServerFinal(string serverFinal)
    {
        var fields = Fields(serverFinal);
        if (fields.TryGetValue('e', out var error))
        {
            throw new SaslClientException("SCRAM server error: " + error);
        }
        if (_expectedServerSignature is null || !fields.TryGetValue('v', out var verifier))
        {
            throw new SaslClientException("SCRAM server-final message lacks v");
        }
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(verifier);
        }
        catch (FormatException e)
        {
            throw new SaslClientException("SCRAM server signature is not base64", e);
        }
        if (!CryptographicOperations.FixedTimeEquals(signature, _expectedServerSignature))
        {
            throw new SaslClientException("SCRAM server signature does not verify: the server does not know the password");
        }
        ServerVerified = true;
    }

    private static Dictionary<char, string> Fields(string message)
    {
        var fields = new Dictionary<char, string>();
        foreach (var part in message.Split(','))
        {
            if (part.Length >= 2 && part[1] == '=')
            {
                fields.TryAdd(part[0], part[2..]);
            }
        }
        return fields;
    }

    private static string Escape(string name) => name.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);
}
