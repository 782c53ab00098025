using System.Security.Cryptography;
using System.Text;

namespace Postern.Testing.Smtp;

/// <summary>
/// The server side of the sink's AUTH mechanisms (PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256), checking
/// against <see cref="SinkOptions.User"/> and <see cref="SinkOptions.Password"/>. Each 334 challenge
/// goes through <c>challengeAsync</c>, which sends it and returns the client's answer line.
/// </summary>
internal sealed class SinkAuthenticator(SinkOptions options, Func<string, CancellationToken, Task<string>> challengeAsync)
{
    /// <summary>Runs the exchange for an AUTH command line: true/false for good/bad credentials, null for a mechanism the sink does not know.</summary>
    public async Task<bool?> VerifyAsync(string line, CancellationToken cancellationToken)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var mechanism = parts.Length > 1 ? parts[1].ToUpperInvariant() : string.Empty;
        var initial = parts.Length > 2 ? parts[2] : null;
        switch (mechanism)
        {
            case "PLAIN":
                var plain = Decode(initial ?? await challengeAsync(string.Empty, cancellationToken)).Split('\0');
                return plain.Length == 3 && plain[1] == options.User && plain[2] == options.Password;
            case "LOGIN":
                var user = Decode(await challengeAsync(B64("Username:"), cancellationToken));
                var password = Decode(await challengeAsync(B64("Password:"), cancellationToken));
                return user == options.User && password == options.Password;
            case "CRAM-MD5":
                var challenge = "<12345.67890@sink.test>";
                var answer = Decode(await challengeAsync(B64(challenge), cancellationToken)).Split(' ');
#pragma warning disable CA5351 // the mechanism under test is defined with HMAC-MD5
                var expected = Convert.ToHexStringLower(HMACMD5.HashData(Encoding.UTF8.GetBytes(options.Password), Encoding.UTF8.GetBytes(challenge)));
#pragma warning restore CA5351
                return answer.Length == 2 && answer[0] == options.User && answer[1] == expected;
            case "SCRAM-SHA-256":
                return await ScramAsync(initial, cancellationToken);
            default:
                return null;
        }
    }

    private async Task<bool> ScramAsync(string? initial, CancellationToken cancellationToken)
    {
        var clientFirst = Decode(initial ?? await challengeAsync(string.Empty, cancellationToken));
        var bare = clientFirst[(clientFirst.IndexOf(",,", StringComparison.Ordinal) + 2)..];
        var fields = bare.Split(',').ToDictionary(f => f[0], f => f[2..]);
        var salt = RandomNumberGenerator.GetBytes(16);
        var nonce = fields['r'] + "sinknonce";
        var serverFirst = $"r={nonce},s={Convert.ToBase64String(salt)},i=4096";
        var clientFinal = Decode(await challengeAsync(B64(serverFirst), cancellationToken));
        var proofAt = clientFinal.LastIndexOf(",p=", StringComparison.Ordinal);
        var withoutProof = clientFinal[..proofAt];
        var proof = Convert.FromBase64String(clientFinal[(proofAt + 3)..]);
        var authMessage = Encoding.UTF8.GetBytes(bare + "," + serverFirst + "," + withoutProof);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(options.Password), salt, 4096, HashAlgorithmName.SHA256, 32);
        var storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
        var signature = HMACSHA256.HashData(storedKey, authMessage);
        var clientKey = proof.Zip(signature, (a, b) => (byte)(a ^ b)).ToArray();
        if (fields['n'] != options.User || !SHA256.HashData(clientKey).SequenceEqual(storedKey))
        {
            return false;
        }
        var serverSignature = HMACSHA256.HashData(HMACSHA256.HashData(salted, "Server Key"u8), authMessage);
        await challengeAsync(B64("v=" + Convert.ToBase64String(serverSignature)), cancellationToken);
        return true;
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Decode(string base64) => base64 == "=" ? string.Empty : Encoding.UTF8.GetString(Convert.FromBase64String(base64));
}
