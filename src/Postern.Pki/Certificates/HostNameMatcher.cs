using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Pki.Certificates;

/// <summary>
/// RFC 6125 host name matching: SAN dNSName entries, a wildcard only as the whole left-most label
/// (<c>*.example.com</c> matches <c>a.example.com</c>, not <c>a.b.example.com</c> or <c>example.com</c>),
/// the subject CN only when the certificate has no dNSName; IP literals against SAN iPAddress entries.
/// Names are compared as ASCII (A-labels), ignoring case and a trailing dot.
/// </summary>
internal static class HostNameMatcher
{
    public static bool Matches(X509Certificate2 certificate, string hostName)
    {
        var host = hostName.TrimEnd('.');
        if (host.Length == 0)
        {
            return false;
        }

        if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
                .SelectMany(e => e.EnumerateIPAddresses())
                .Any(a => a.Equals(address));
        }

        var altNames = SubjectAltNames.Read(certificate);
        IEnumerable<string> patterns = altNames.HasDnsNames ? altNames.DnsNames : CommonNameOf(certificate);
        return patterns.Any(p => MatchesPattern(p, host));
    }

    /// <summary>Names the certificate is for, as a mismatch reason shows them.</summary>
    public static IReadOnlyList<string> Names(X509Certificate2 certificate)
    {
        var altNames = SubjectAltNames.Read(certificate);
        return altNames.HasDnsNames ? altNames.DnsNames : CommonNameOf(certificate);
    }

    internal static bool MatchesPattern(string pattern, string host)
    {
        pattern = pattern.TrimEnd('.');
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            var rest = pattern[2..];
            var dot = host.IndexOf('.', StringComparison.Ordinal);
            // "*.com" would cover a whole TLD: a wildcard needs at least two labels under it.
            return rest.Contains('.', StringComparison.Ordinal)
                && !rest.Contains('*', StringComparison.Ordinal)
                && dot > 0
                && string.Equals(host[(dot + 1)..], rest, StringComparison.OrdinalIgnoreCase);
        }

        return !pattern.Contains('*', StringComparison.Ordinal)
            && string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }

    private static string[] CommonNameOf(X509Certificate2 certificate)
    {
        try
        {
            return DistinguishedNameFormatter.CommonName(certificate.SubjectName) is { } cn ? [cn] : [];
        }
        catch (CryptographicException)
        {
            return [];
        }
    }
}
