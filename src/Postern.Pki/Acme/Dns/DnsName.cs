using System.Text;

namespace Postern.Pki.Acme.Dns;

/// <summary>
/// A domain name as the DNS wire carries it (RFC 1035 3.1): labels of 1 to 63 octets, 255 octets
/// in all. Names here come from the configuration and the key file (host names, key names,
/// <c>_acme-challenge.</c> owners), so only printable ASCII without dots or backslashes is taken.
/// </summary>
internal static class DnsName
{
    public const int MaxWireLength = 255;
    public const int MaxLabelLength = 63;

    /// <summary>The labels of <paramref name="name"/> (a trailing dot is allowed; "." is the root, no labels).</summary>
    /// <exception cref="ArgumentException">An empty or over-long label, a name over 255 octets, or a character outside printable ASCII.</exception>
    public static IReadOnlyList<string> Labels(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.EndsWith('.') ? name[..^1] : name;
        if (trimmed.Length == 0)
        {
            return [];
        }
        var labels = trimmed.Split('.');
        var wireLength = 1;
        foreach (var label in labels)
        {
            if (label.Length is 0 or > MaxLabelLength)
            {
                throw new ArgumentException($"'{name}' is not a domain name: labels are 1 to {MaxLabelLength} characters", nameof(name));
            }
            foreach (var c in label)
            {
                if (c is < '!' or > '~' or '\\')
                {
                    throw new ArgumentException($"'{name}' is not a domain name: only printable ASCII is allowed", nameof(name));
                }
            }
            wireLength += 1 + label.Length;
        }
        return wireLength > MaxWireLength
            ? throw new ArgumentException($"'{name}' is longer than {MaxWireLength} octets on the wire", nameof(name))
            : labels;
    }

    /// <summary>The canonical wire form (RFC 4034 6.2: lower case, uncompressed) that TSIG digests (RFC 8945 4.3.3).</summary>
    public static byte[] CanonicalWire(string name)
    {
        var labels = Labels(name);
        var wire = new byte[labels.Sum(l => l.Length + 1) + 1];
        var position = 0;
        foreach (var label in labels)
        {
            wire[position++] = (byte)label.Length;
            position += Encoding.ASCII.GetBytes(label.ToLowerInvariant(), wire.AsSpan(position));
        }
        return wire;
    }

    /// <summary>Whether two names are the same name (ASCII case-insensitive, trailing dot ignored).</summary>
    public static bool AreEqual(string a, string b) =>
        string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="name"/> is <paramref name="zone"/> or below it.</summary>
    public static bool IsAtOrBelow(string name, string zone)
    {
        var n = name.TrimEnd('.');
        var z = zone.TrimEnd('.');
        return z.Length == 0
            || string.Equals(n, z, StringComparison.OrdinalIgnoreCase)
            || n.EndsWith("." + z, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The name one label up ("a.b.c" -> "b.c"), or null for a single label.</summary>
    public static string? Parent(string name)
    {
        var n = name.TrimEnd('.');
        var dot = n.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? null : n[(dot + 1)..];
    }
}
