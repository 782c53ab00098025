using System.Collections.Frozen;
using System.Net.Security;

namespace Postern.Config;

/// <summary>
/// Which <c>tls.ciphers</c> names Postern accepts: IANA names of <see cref="TlsCipherSuite"/> that
/// encrypt, authenticate the server and keep forward secrecy. TLS 1.3 suites always qualify.
/// </summary>
internal static class TlsCipherPolicy
{
    private static readonly FrozenDictionary<string, TlsCipherSuite> Suites =
        Enum.GetNames<TlsCipherSuite>().ToFrozenDictionary(name => name, Enum.Parse<TlsCipherSuite>, StringComparer.Ordinal);

    public static bool TryParse(string name, out TlsCipherSuite suite) => Suites.TryGetValue(name, out suite);

    /// <summary>A known name the operator probably meant (other case, a typo), or null.</summary>
    public static string? Suggest(string name)
    {
        var sameLetters = Suites.Keys.FirstOrDefault(known => known.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (sameLetters is not null)
        {
            return sameLetters;
        }
        // KeySuggestion compares in lower case.
        var byLower = Suites.Keys.ToDictionary(known => known.ToLowerInvariant(), StringComparer.Ordinal);
        var guess = KeySuggestion.Closest(name, byLower.Keys);
        return guess is null ? null : byLower[guess];
    }

    /// <summary>TLS 1.3 suites name no key exchange: it is always ephemeral.</summary>
    public static bool IsTls13(string name) => !name.Contains("_WITH_", StringComparison.Ordinal);

    /// <summary>Why the suite is refused; empty when it is acceptable.</summary>
    public static IReadOnlyList<string> Weaknesses(string name)
    {
        var reasons = new List<string>();
        if (name.Contains("_NULL", StringComparison.Ordinal))
        {
            reasons.Add("NULL: no encryption or no authentication");
        }
        if (name.Contains("EXPORT", StringComparison.Ordinal))
        {
            reasons.Add("EXPORT: deliberately weakened keys");
        }
        if (name.Contains("_RC4_", StringComparison.Ordinal))
        {
            reasons.Add("RC4: broken stream cipher");
        }
        if (name.Contains("_DES", StringComparison.Ordinal) || name.Contains("3DES", StringComparison.Ordinal))
        {
            reasons.Add("DES/3DES: 56-bit keys or 64-bit blocks (Sweet32)");
        }
        if (name.Contains("_anon", StringComparison.Ordinal))
        {
            reasons.Add("anon: the server is not authenticated");
        }
        var keyExchange = KeyExchange(name);
        if (keyExchange is not null && !IsForwardSecret(keyExchange) && !keyExchange.Contains("_anon", StringComparison.Ordinal) && keyExchange != "NULL")
        {
            reasons.Add($"key exchange {keyExchange} is not ECDHE or DHE: no forward secrecy");
        }
        return reasons;
    }

    // TLS_<kx>_WITH_<cipher>_<mac>; null for TLS 1.3 suites.
    private static string? KeyExchange(string name)
    {
        var with = name.IndexOf("_WITH_", StringComparison.Ordinal);
        return with < 0 ? null : name["TLS_".Length..with];
    }

    private static bool IsForwardSecret(string keyExchange) =>
        keyExchange.StartsWith("ECDHE_", StringComparison.Ordinal)
        || keyExchange.StartsWith("DHE_", StringComparison.Ordinal)
        || keyExchange == "PSK_DHE"; // RFC 6655's ephemeral DH with PSK
}
