using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Delivery.Dane;

/// <summary>
/// The name check of a DANE-TA-issued certificate (RFC 7672 3.2.3): its DNS subjectAltNames, or
/// its subject's CN when it has none, against the reference identifiers; case-insensitive, a
/// trailing dot ignored, and a wildcard "*" only as the whole leftmost label, standing for one label.
/// </summary>
internal static class DaneNames
{
    public static bool Match(X509Certificate2 certificate, IReadOnlyList<string> referenceNames)
    {
        var names = DnsNames(certificate);
        return referenceNames.Any(reference => names.Any(name => Matches(name, reference)));
    }

    public static bool Matches(string presented, string reference)
    {
        var name = presented.TrimEnd('.');
        var host = reference.TrimEnd('.');
        if (name.StartsWith("*.", StringComparison.Ordinal))
        {
            var dot = host.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 && name.Length > 2 && host[(dot + 1)..].Equals(name[2..], StringComparison.OrdinalIgnoreCase);
        }
        return !name.Contains('*', StringComparison.Ordinal) && name.Equals(host, StringComparison.OrdinalIgnoreCase);
    }

    private static List<string> DnsNames(X509Certificate2 certificate)
    {
        List<string> names = [];
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                try
                {
                    names.AddRange(san.EnumerateDnsNames());
                }
                catch (AsnContentException)
                {
                    // A malformed extension names nothing.
                }
            }
        }
        if (names.Count == 0 && certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } common)
        {
            names.Add(common);
        }
        return names;
    }
}
