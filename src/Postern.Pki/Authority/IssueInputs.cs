using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Postern.Pki.Authority;

/// <summary>Checks the names given on the command line before anything is generated.</summary>
public static partial class IssueInputs
{
    /// <summary>A name usable as index key, subject CN and file stem: 1-64 characters (X.520's CN limit), no '/', no control characters, not starting with '.' or '-'.</summary>
    public static string? NameProblem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 64)
        {
            return "must be 1 to 64 characters";
        }
        if (name[0] is '.' or '-' || name.Any(c => c is '/' or '\\' || char.IsControl(c)))
        {
            return "must not start with '.' or '-' nor contain '/', '\\' or control characters (it names the files)";
        }
        return null;
    }

    /// <summary>A DNS name for a certificate: LDH labels, optionally a leading <c>*.</c>.</summary>
    public static bool IsDnsName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length <= 253 && DnsNamePattern().IsMatch(name);
    }

    public static bool IsEmailAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var at = address.LastIndexOf('@');
        return at > 0 && at < address.Length - 1 && !address.Any(c => c <= ' ' || c > '~' || c is '<' or '>')
            && IsDnsName(address[(at + 1)..]);
    }

    /// <summary>Sorts <c>--san</c> values: <c>DNS:name</c>, <c>IP:address</c>, or bare (an IP address if it parses as one).</summary>
    /// <exception cref="CaException">A value that is neither.</exception>
    public static (List<string> DnsNames, List<IPAddress> IpAddresses) SplitSans(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var dns = new List<string>();
        var ips = new List<IPAddress>();
        foreach (var value in values)
        {
            if (value.StartsWith("IP:", StringComparison.OrdinalIgnoreCase))
            {
                ips.Add(IPAddress.TryParse(value.AsSpan(3), out var ip) ? ip : throw new CaException(CaErrorKind.Usage, $"--san {value}: not an IP address"));
            }
            else if (!value.StartsWith("DNS:", StringComparison.OrdinalIgnoreCase) && IPAddress.TryParse(value, out var bare))
            {
                ips.Add(bare);
            }
            else
            {
                var name = value.StartsWith("DNS:", StringComparison.OrdinalIgnoreCase) ? value[4..] : value;
                if (!IsDnsName(name))
                {
                    throw new CaException(CaErrorKind.Usage, $"--san {value}: not a DNS name or IP address (use DNS:name or IP:address)");
                }
                dns.Add(name.ToLower(CultureInfo.InvariantCulture));
            }
        }
        return (dns, ips);
    }

    [GeneratedRegex(@"^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")]
    private static partial Regex DnsNamePattern();
}
