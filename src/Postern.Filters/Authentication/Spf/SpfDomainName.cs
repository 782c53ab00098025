namespace Postern.Filters.Authentication.Spf;

/// <summary>Whether a name can be looked up as SPF needs it (RFC 7208 section 4.3): labels of 1 to 63 octets, at least two, 253 in all.</summary>
internal static class SpfDomainName
{
    public static bool IsQueryable(string name)
    {
        if (name.Length is 0 or > 253 || name.StartsWith('['))
        {
            return false;
        }
        var labels = name.Split('.');
        return labels.Length >= 2 && labels.All(l => l.Length is >= 1 and <= 63);
    }

    /// <summary>The name without a trailing dot, for comparisons and queries.</summary>
    public static string Absolute(string name) => name.EndsWith('.') ? name[..^1] : name;
}
