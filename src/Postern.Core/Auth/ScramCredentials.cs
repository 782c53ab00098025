using System.Security.Cryptography;
using System.Text;

namespace Postern.Core.Auth;

/// <summary>
/// RFC 5802 section 3 key derivation: SaltedPassword = PBKDF2(password, salt, i),
/// ClientKey = HMAC(SaltedPassword, "Client Key"), StoredKey = H(ClientKey),
/// ServerKey = HMAC(SaltedPassword, "Server Key"). The server keeps only StoredKey and ServerKey.
/// </summary>
public static class ScramCredentials
{
    /// <summary>
    /// Every login costs the client this many PBKDF2 rounds, so SCRAM counts are lower than the
    /// stored PLAIN hash's; these are MongoDB's (RFC 7677 asks for at least 4096).
    /// </summary>
    public const int DefaultIterationsSha256 = 15_000;

    public const int DefaultIterationsSha1 = 10_000;

    public const int SaltLength = 16;

    public static int DefaultIterations(HashAlgorithmName hash) => hash == HashAlgorithmName.SHA1 ? DefaultIterationsSha1 : DefaultIterationsSha256;

    /// <summary>The stored keys for <paramref name="password"/> (SASLprep-ed); a random salt when none is given.</summary>
    /// <exception cref="ArgumentException">Empty password, prohibited character, or a hash other than SHA-1/SHA-256.</exception>
    public static ScramCredential Derive(string password, HashAlgorithmName hash, byte[]? salt = null, int? iterations = null)
    {
        var prepared = PasswordHash.PrepareOrThrow(password);
        var count = iterations ?? DefaultIterations(hash);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        salt ??= RandomNumberGenerator.GetBytes(SaltLength);
        var salted = SaltedPassword(prepared, salt, count, hash);
        var clientKey = Hmac(hash, salted, "Client Key"u8);
        return new ScramCredential(salt, count, Hash(hash, clientKey), Hmac(hash, salted, "Server Key"u8));
    }

    /// <summary>Hi(password, salt, i) of RFC 5802: PBKDF2 with the hash's own output length.</summary>
    public static byte[] SaltedPassword(string preparedPassword, byte[] salt, int iterations, HashAlgorithmName hash) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(preparedPassword), salt, iterations, hash, HashLength(hash));

    public static int HashLength(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA1 ? 20
        : hash == HashAlgorithmName.SHA256 ? 32
        : throw new ArgumentException("SCRAM is implemented for SHA-1 and SHA-256 only.", nameof(hash));

#pragma warning disable CA5350 // SCRAM-SHA-1 is defined with SHA-1 (RFC 5802); HMAC-SHA-1 is not broken as a MAC.
    public static byte[] Hmac(HashAlgorithmName hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) =>
        hash == HashAlgorithmName.SHA1 ? HMACSHA1.HashData(key, data)
        : hash == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(key, data)
        : throw new ArgumentException("SCRAM is implemented for SHA-1 and SHA-256 only.", nameof(hash));

    public static byte[] Hash(HashAlgorithmName hash, ReadOnlySpan<byte> data) =>
        hash == HashAlgorithmName.SHA1 ? SHA1.HashData(data)
        : hash == HashAlgorithmName.SHA256 ? SHA256.HashData(data)
        : throw new ArgumentException("SCRAM is implemented for SHA-1 and SHA-256 only.", nameof(hash));
#pragma warning restore CA5350
}
