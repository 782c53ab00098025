namespace Postern.Delivery.MtaSts;

/// <summary>
/// A parsed MTA-STS policy (RFC 8461 3.2): its id (from the TXT record), mode, MX patterns
/// (<c>mail.example.net</c> or <c>*.example.net</c>), max_age, and the policy text's lines
/// (TLS-RPT's policy-string).
/// </summary>
public sealed record MtaStsPolicy(
    string Id,
    MtaStsMode Mode,
    IReadOnlyList<string> MxPatterns,
    TimeSpan MaxAge,
    IReadOnlyList<string> Lines,
    DateTimeOffset FetchedAt)
{
    /// <summary>When the policy stops being usable from the cache.</summary>
    public DateTimeOffset ExpiresAt => FetchedAt + MaxAge;

    /// <summary>
    /// The pattern that <paramref name="mxHost"/> matches, or null (RFC 8461 4.1: a wildcard
    /// stands for exactly one leftmost label; comparison is case-insensitive, trailing dots ignored).
    /// </summary>
    public string? MatchingPattern(string mxHost)
    {
        ArgumentNullException.ThrowIfNull(mxHost);
        var host = mxHost.TrimEnd('.');
        foreach (var pattern in MxPatterns)
        {
            var text = pattern.TrimEnd('.');
            if (text.StartsWith("*.", StringComparison.Ordinal))
            {
                var dot = host.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0 && host[(dot + 1)..].Equals(text[2..], StringComparison.OrdinalIgnoreCase))
                {
                    return pattern;
                }
            }
            else if (host.Equals(text, StringComparison.OrdinalIgnoreCase))
            {
                return pattern;
            }
        }
        return null;
    }
}
