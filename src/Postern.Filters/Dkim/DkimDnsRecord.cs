using System.Text;

namespace Postern.Filters.Dkim;

/// <summary>
/// The TXT record that publishes a key (RFC 6376 section 3.6.1): <c>v=DKIM1; k=rsa; p=...</c> at
/// SELECTOR._domainkey.DOMAIN, written as a zone-file line whose character-strings are at most
/// 255 bytes each (a longer string is not valid in a zone file; resolvers join the strings).
/// </summary>
public static class DkimDnsRecord
{
    /// <summary>The longest character-string a TXT record may hold (RFC 1035 section 3.3).</summary>
    public const int MaxStringLength = 255;

    /// <summary>The owner name, <c>s2026._domainkey.example.com</c>.</summary>
    public static string Name(string domain, string selector) => selector + "._domainkey." + domain;

    /// <summary>The record's text as resolvers return it, the strings joined.</summary>
    public static string Text(DkimPrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Prefix(key) + "p=" + key.PublicKeyBase64;
    }

    /// <summary>
    /// The zone-file lines: <c>s2026._domainkey.example.com. IN TXT ( "v=DKIM1; k=rsa; " "p=..." )</c>,
    /// the p= value split over strings of at most <see cref="MaxStringLength"/> bytes, one per line.
    /// </summary>
    public static string ZoneEntry(string domain, string selector, DkimPrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var text = new StringBuilder();
        text.Append(Name(domain, selector)).Append(". IN TXT ( \"").Append(Prefix(key)).Append('"');
        foreach (var part in Strings("p=" + key.PublicKeyBase64))
        {
            text.Append("\n\t\"").Append(part).Append('"');
        }
        text.Append(" )  ; DKIM key ").Append(selector).Append(" for ").Append(domain)
            .Append(", ").Append(key.Algorithm.KeyType()).Append(' ').Append(key.Bits).Append(" bits\n");
        return text.ToString();
    }

    private static string Prefix(DkimPrivateKey key) => "v=DKIM1; k=" + key.Algorithm.KeyType() + "; ";

    // The value is base64 (ASCII): characters are bytes.
    private static IEnumerable<string> Strings(string value)
    {
        for (var start = 0; start < value.Length; start += MaxStringLength)
        {
            yield return value.Substring(start, Math.Min(MaxStringLength, value.Length - start));
        }
    }
}
