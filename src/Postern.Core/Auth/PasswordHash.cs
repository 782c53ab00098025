using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Postern.Core.Auth;

/// <summary>
/// The slow salted hash that PLAIN and LOGIN verify against: PBKDF2-HMAC-SHA256 with a random
/// 16-byte salt, written as a PHC string <c>$pbkdf2-sha256$i=600000$SALT$HASH</c> (unpadded
/// base64). 600,000 iterations is OWASP's 2023 figure for PBKDF2-SHA256. Passwords are
/// SASLprep-ed first, so the hash matches what the mechanisms compare.
/// </summary>
public static class PasswordHash
{
    public const int DefaultIterations = 600_000;

    /// <summary>Verification refuses counts above this, so a planted hash cannot stall the server.</summary>
    public const int MaxIterations = 10_000_000;

    private const string Prefix = "$pbkdf2-sha256$i=";
    private const int SaltLength = 16;
    private const int HashLength = 32;

    /// <summary>A new hash of <paramref name="password"/>; a lower <paramref name="iterations"/> is for tests only.</summary>
    /// <exception cref="ArgumentException">The password is empty or SASLprep refuses it.</exception>
    public static string Create(string password, int iterations = DefaultIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        var prepared = PrepareOrThrow(password);
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var hash = Derive(prepared, salt, iterations);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{iterations}${Encode(salt)}${Encode(hash)}");
    }

    /// <summary>Whether <paramref name="password"/> matches; false (never an exception) for a malformed hash.</summary>
    public static bool Verify(string password, string hash)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(hash, out var iterations, out var salt, out var expected))
        {
            return false;
        }
        var prepared = SaslPrep.Prepare(password);
        // Refused passwords still cost a derivation, so the time says nothing about why they failed.
        var actual = Derive(prepared ?? password, salt, iterations);
        return CryptographicOperations.FixedTimeEquals(actual, expected) && prepared is not null;
    }

    /// <summary>
    /// The same work as <see cref="Verify"/> against a hash nobody knows the password of, for unknown
    /// users: the time taken does not tell whether the user exists. Always false.
    /// </summary>
    public static bool VerifyDummy(string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = new byte[SaltLength];
        var actual = Derive(SaslPrep.Prepare(password) ?? password, salt, Math.Clamp(iterations, 1, MaxIterations));
        _ = CryptographicOperations.FixedTimeEquals(actual, new byte[HashLength]);
        return false;
    }

    /// <summary>Whether <paramref name="hash"/> is in the format <see cref="Create"/> writes.</summary>
    public static bool IsWellFormed(string hash) => TryParse(hash, out _, out _, out _);

    /// <summary>The iteration count of a well-formed hash, or null.</summary>
    public static int? IterationsOf(string hash) => TryParse(hash, out var iterations, out _, out _) ? iterations : null;

    private static bool TryParse(string? hash, out int iterations, out byte[] salt, out byte[] expected)
    {
        iterations = 0;
        salt = expected = [];
        if (hash is null || !hash.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var parts = hash[Prefix.Length..].Split('$');
        return parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            && iterations is >= 1 and <= MaxIterations
            && TryDecode(parts[1], out salt) && salt.Length >= 8
            && TryDecode(parts[2], out expected) && expected.Length == HashLength;
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashLength);

    internal static string PrepareOrThrow(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length == 0)
        {
            throw new ArgumentException("The password is empty.", nameof(password));
        }
        return SaslPrep.Prepare(password)
            ?? throw new ArgumentException("The password holds a character SASLprep prohibits (a control, private-use or unassigned character).", nameof(password));
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Contains('=', StringComparison.Ordinal))
        {
            return false;
        }
        var padded = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        var buffer = new byte[padded.Length];
        if (!Convert.TryFromBase64String(padded, buffer, out var written))
        {
            return false;
        }
        bytes = buffer[..written];
        return true;
    }
}
