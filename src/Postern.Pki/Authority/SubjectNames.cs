using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Postern.Pki.Authority;

/// <summary>
/// Builds subjects: from openssl's <c>-subj</c> form (<c>/C=US/ST=Washington/O=Foo Enterprises</c>),
/// and for issued certificates from the CA's subject with its CN replaced, so the seeds'
/// "/C=US/O=Foo Enterprises/CN=Joe User" under "/C=US/O=Foo Enterprises/CN=Joe's Certificate Authority"
/// comes out without retyping the organisation.
/// </summary>
public static class SubjectNames
{
    private const string CommonNameOid = "2.5.4.3";
    private const string CountryOid = "2.5.4.6";

    /// <summary>Parses <c>/KEY=value/KEY=value</c> (C, ST, L, O, OU, CN, emailAddress, DC; <c>\/</c> escapes a slash) and appends CN=<paramref name="commonName"/> when given.</summary>
    /// <exception cref="CaException">An unknown key, a missing '=' or an empty value.</exception>
    public static X500DistinguishedName Build(string? slashForm, string? commonName)
    {
        var attributes = Split(slashForm ?? "").ToList();
        if (!string.IsNullOrEmpty(commonName))
        {
            attributes.Add(("CN", commonName));
        }
        return Encode(attributes, slashForm);
    }

    /// <summary>The CA's subject attributes other than CN, in order, then CN=<paramref name="commonName"/>.</summary>
    public static X500DistinguishedName UnderCa(X500DistinguishedName caSubject, string commonName)
    {
        ArgumentNullException.ThrowIfNull(caSubject);
        var attributes = new List<(string Key, string Value)>();
        foreach (var rdn in caSubject.EnumerateRelativeDistinguishedNames(reversed: false))
        {
            if (rdn.HasMultipleElements)
            {
                continue;
            }
            var type = rdn.GetSingleElementType().Value;
            var value = rdn.GetSingleElementValue();
            if (type is null or CommonNameOid || value is null)
            {
                continue;
            }
            attributes.Add((type, value));
        }
        attributes.Add(("CN", commonName));
        return Encode(attributes, null);
    }

    // X500DistinguishedNameBuilder encodes the last attribute added first: add in reverse so the
    // DER (and sendmail's /C=US/O=.../CN=... form) keeps the order given, CN last.
    private static X500DistinguishedName Encode(List<(string Key, string Value)> attributes, string? source)
    {
        var builder = new X500DistinguishedNameBuilder();
        for (var i = attributes.Count - 1; i >= 0; i--)
        {
            var (key, value) = attributes[i];
            try
            {
                Add(builder, key, value);
            }
            catch (ArgumentException e)
            {
                throw new CaException(CaErrorKind.Usage, $"subject {source ?? key}: {key}={value}: {e.Message}", e);
            }
        }
        return builder.Build();
    }

    private static void Add(X500DistinguishedNameBuilder builder, string key, string value)
    {
        switch (key.ToUpperInvariant())
        {
            case CountryOid: builder.AddCountryOrRegion(value); break;
            case var oid when oid.Length > 0 && char.IsAsciiDigit(oid[0]): builder.Add(oid, value); break;
            case "C": builder.AddCountryOrRegion(value); break;
            case "ST": builder.AddStateOrProvinceName(value); break;
            case "L": builder.AddLocalityName(value); break;
            case "O": builder.AddOrganizationName(value); break;
            case "OU": builder.AddOrganizationalUnitName(value); break;
            case "CN": builder.AddCommonName(value); break;
            case "EMAILADDRESS" or "EMAIL": builder.AddEmailAddress(value); break;
            case "DC": builder.AddDomainComponent(value); break;
            default: throw new ArgumentException("unknown attribute (use C, ST, L, O, OU, CN, emailAddress or DC)");
        }
    }

    private static IEnumerable<(string Key, string Value)> Split(string text)
    {
        if (text.Length == 0)
        {
            yield break;
        }
        if (text[0] != '/')
        {
            throw new CaException(CaErrorKind.Usage, $"subject {text}: must start with '/' as in /C=US/O=Foo Enterprises");
        }
        var part = new StringBuilder();
        var parts = new List<string>();
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                part.Append(text[++i]);
            }
            else if (text[i] == '/')
            {
                parts.Add(part.ToString());
                part.Clear();
            }
            else
            {
                part.Append(text[i]);
            }
        }
        parts.Add(part.ToString());
        foreach (var p in parts)
        {
            var equals = p.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == p.Length - 1)
            {
                throw new CaException(CaErrorKind.Usage, $"subject {text}: '{p}' is not KEY=value");
            }
            yield return (p[..equals], p[(equals + 1)..]);
        }
    }
}
