using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Postern.Filters.Authentication.Spf;

/// <summary>
/// Parses an SPF record (RFC 7208 sections 4.6, 5, 6 and 12) whole before it is evaluated: a
/// syntax error anywhere is a permerror, even after a mechanism that would have matched.
/// </summary>
internal static class SpfRecordParser
{
    /// <summary>The version tag: "v=spf1" alone or followed by a space, any case (section 4.5).</summary>
    public static bool IsSpfRecord(string text) =>
        text.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (text.Length == 6 || text[6] == ' ');

    public static SpfRecord? TryParse(string text, out string error)
    {
        error = "";
        if (text.Any(c => c is < ' ' or > '~'))
        {
            error = "the record has characters outside printable US-ASCII";
            return null;
        }
        var mechanisms = new List<SpfMechanism>();
        SpfMacroString? redirect = null;
        SpfMacroString? explanation = null;
        foreach (var term in text[6..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (ModifierName(term) is { } name)
            {
                var value = term[(name.Length + 1)..];
                if (name.Equals("redirect", StringComparison.OrdinalIgnoreCase) || name.Equals("exp", StringComparison.OrdinalIgnoreCase))
                {
                    var isRedirect = name.Length == 8;
                    if ((isRedirect ? redirect : explanation) is not null || !SpfMacroString.TryParseDomainSpec(value, out var spec))
                    {
                        error = $"bad or repeated {name.ToLowerInvariant()}= modifier \"{term}\"";
                        return null;
                    }
                    (redirect, explanation) = isRedirect ? (spec, explanation) : (redirect, spec);
                }
                else if (!SpfMacroString.IsValidMacroString(value))
                {
                    error = $"bad modifier \"{term}\"";
                    return null;
                }
                continue;
            }
            var mechanism = ParseMechanism(term);
            if (mechanism is null)
            {
                error = $"bad term \"{term}\"";
                return null;
            }
            mechanisms.Add(mechanism);
        }
        return new SpfRecord(mechanisms, redirect, explanation);
    }

    // name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ), then "=" before any ':' or '/'.
    private static string? ModifierName(string term)
    {
        var equals = term.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return null;
        }
        var name = term[..equals];
        return char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? name : null;
    }

    private static SpfMechanism? ParseMechanism(string term)
    {
        var qualifier = term[0] switch
        {
            '+' => SpfResult.Pass,
            '-' => SpfResult.Fail,
            '~' => SpfResult.SoftFail,
            '?' => SpfResult.Neutral,
            _ => (SpfResult?)null,
        };
        var body = qualifier is null ? term : term[1..];
        var nameEnd = body.IndexOfAny([':', '/']);
        var name = (nameEnd < 0 ? body : body[..nameEnd]).ToLowerInvariant();
        var rest = nameEnd < 0 ? "" : body[nameEnd..];
        var result = qualifier ?? SpfResult.Pass;
        return name switch
        {
            "all" => rest.Length == 0 ? new SpfMechanism(result, SpfMechanismKind.All) : null,
            "include" => TargetOnly(result, SpfMechanismKind.Include, rest, required: true),
            "exists" => TargetOnly(result, SpfMechanismKind.Exists, rest, required: true),
            "ptr" => TargetOnly(result, SpfMechanismKind.Ptr, rest, required: false),
            "a" => WithCidr(result, SpfMechanismKind.A, rest),
            "mx" => WithCidr(result, SpfMechanismKind.Mx, rest),
            "ip4" => Network(result, SpfMechanismKind.Ip4, rest, AddressFamily.InterNetwork, 32),
            "ip6" => Network(result, SpfMechanismKind.Ip6, rest, AddressFamily.InterNetworkV6, 128),
            _ => null,
        };
    }

    // include, exists and ptr: ":" domain-spec (optional for ptr), no CIDR.
    private static SpfMechanism? TargetOnly(SpfResult qualifier, SpfMechanismKind kind, string rest, bool required)
    {
        if (rest.Length == 0)
        {
            return required ? null : new SpfMechanism(qualifier, kind);
        }
        return rest[0] == ':' && SpfMacroString.TryParseDomainSpec(rest[1..], out var spec)
            ? new SpfMechanism(qualifier, kind) { DomainSpec = spec }
            : null;
    }

    // a and mx: [ ":" domain-spec ] [ "/" ip4-cidr ] [ "//" ip6-cidr ], the lengths read from the end.
    private static SpfMechanism? WithCidr(SpfResult qualifier, SpfMechanismKind kind, string rest)
    {
        var cidr6 = 128;
        var cidr4 = 32;
        var doubleSlash = rest.LastIndexOf("//", StringComparison.Ordinal);
        if (doubleSlash >= 0 && IsNumber(rest[(doubleSlash + 2)..]))
        {
            if (!TryCidr(rest[(doubleSlash + 2)..], 128, out cidr6))
            {
                return null;
            }
            rest = rest[..doubleSlash];
        }
        var slash = rest.LastIndexOf('/');
        if (slash >= 0 && IsNumber(rest[(slash + 1)..]) && (slash == 0 || rest[slash - 1] != '/'))
        {
            if (!TryCidr(rest[(slash + 1)..], 32, out cidr4))
            {
                return null;
            }
            rest = rest[..slash];
        }
        if (rest.Length == 0)
        {
            return new SpfMechanism(qualifier, kind) { Cidr4 = cidr4, Cidr6 = cidr6 };
        }
        return rest[0] == ':' && SpfMacroString.TryParseDomainSpec(rest[1..], out var spec)
            ? new SpfMechanism(qualifier, kind) { DomainSpec = spec, Cidr4 = cidr4, Cidr6 = cidr6 }
            : null;
    }

    // ip4:network[/len] and ip6:network[/len]; an IPv4 network is four decimal octets, no shorthand.
    private static SpfMechanism? Network(SpfResult qualifier, SpfMechanismKind kind, string rest, AddressFamily family, int maximum)
    {
        if (rest.Length < 2 || rest[0] != ':')
        {
            return null;
        }
        var text = rest[1..];
        var length = maximum;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!TryCidr(text[(slash + 1)..], maximum, out length))
            {
                return null;
            }
            text = text[..slash];
        }
        if (family == AddressFamily.InterNetwork && !IsDottedQuad(text))
        {
            return null;
        }
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != family)
        {
            return null;
        }
        return new SpfMechanism(qualifier, kind) { Network = SpfNetwork.Of(address, length) };
    }

    private static bool IsDottedQuad(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && IsNumber(p) && (p.Length == 1 || p[0] != '0')
            && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    // A CIDR length: decimal, no leading zero, at most the address's bits (section 5.6).
    private static bool TryCidr(string text, int maximum, out int length)
    {
        length = 0;
        return IsNumber(text) && text.Length <= 3 && (text.Length == 1 || text[0] != '0')
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out length) && length <= maximum;
    }

    private static bool IsNumber(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);
}
