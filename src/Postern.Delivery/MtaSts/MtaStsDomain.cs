namespace Postern.Delivery.MtaSts;

/// <summary>
/// The policy domain as it goes into DNS names, the policy URL and the cache file name: ASCII
/// letters, digits, inner hyphens and dots only, lower case, no trailing dot. Anything else
/// (an address literal, a U-label) has no MTA-STS policy.
/// </summary>
public static class MtaStsDomain
{
    public static string? Normalize(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var name = domain.EndsWith('.') ? domain[..^1] : domain;
        // "mta-sts." and "_mta-sts." are prepended: keep room for them within 253.
        if (name.Length is 0 or > 243)
        {
            return null;
        }
        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-'
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return null;
            }
        }
        return name.ToLowerInvariant();
    }
}
