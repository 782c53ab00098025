namespace Postern.Filters.Authentication.Dkim;

/// <summary>A DKIM-Signature's tag list (RFC 6376 section 3.2), for the d=, s= and a= that Authentication-Results reports.</summary>
internal static class DkimTags
{
    public static Dictionary<string, string> Parse(string value)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in value.Split(';'))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }
            // Folding white space may appear anywhere in a value; none of d=, s= or a= keeps any.
            var name = part[..equals].Trim();
            tags.TryAdd(name, new string([.. part[(equals + 1)..].Where(c => !char.IsWhiteSpace(c))]));
        }
        return tags;
    }
}
