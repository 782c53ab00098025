using System.Globalization;

namespace Postern.Filters.Authentication.Dmarc;

/// <summary>
/// The Public Suffix List (publicsuffix.org; Debian's <c>publicsuffix</c> package installs it at
/// /usr/share/publicsuffix/public_suffix_list.dat), for DMARC's organizational domain
/// (RFC 7489 section 3.2): the public suffix of a name plus one label.
/// </summary>
public sealed class PublicSuffixList
{
    public const string DebianPath = "/usr/share/publicsuffix/public_suffix_list.dat";

    private readonly HashSet<string> _rules = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _wildcards = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _exceptions = new(StringComparer.OrdinalIgnoreCase);

    private PublicSuffixList()
    {
    }

    /// <summary>Reads the list's rules; comments and blank lines are skipped, internationalized rules are added in their A-label form too.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static PublicSuffixList Load(string path) => Parse(File.ReadLines(path));

    public static PublicSuffixList Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var list = new PublicSuffixList();
        var idn = new IdnMapping();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            var space = line.IndexOfAny([' ', '\t']);
            line = space < 0 ? line : line[..space];
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }
            var (set, rule) = line switch
            {
                ['!', .. var rest] => (list._exceptions, rest),
                ['*', '.', .. var rest] => (list._wildcards, rest),
                _ => (list._rules, line),
            };
            set.Add(rule);
            if (!rule.All(char.IsAscii))
            {
                try
                {
                    set.Add(idn.GetAscii(rule));
                }
                catch (ArgumentException)
                {
                    // A rule that has no A-label form cannot match a DNS name.
                }
            }
        }
        return list;
    }

    /// <summary>
    /// The organizational domain of <paramref name="domain"/> (lower case, no trailing dot): its
    /// public suffix and one more label; a name that is itself a public suffix is its own.
    /// </summary>
    public string OrganizationalDomain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var labels = domain.TrimEnd('.').ToLowerInvariant().Split('.');
        var suffixLength = SuffixLength(labels);
        return labels.Length <= suffixLength ? string.Join('.', labels) : string.Join('.', labels[^(suffixLength + 1)..]);
    }

    // The number of labels of the public suffix: the longest matching rule, an exception rule
    // giving one label less, and "*" (one label) when nothing matches.
    private int SuffixLength(string[] labels)
    {
        var longest = 1;
        for (var count = 1; count <= labels.Length; count++)
        {
            var candidate = string.Join('.', labels[^count..]);
            if (_exceptions.Contains(candidate))
            {
                return count - 1;
            }
            if (_rules.Contains(candidate))
            {
                longest = count;
            }
            if (count < labels.Length && _wildcards.Contains(candidate))
            {
                longest = count + 1;
            }
        }
        return longest;
    }
}
