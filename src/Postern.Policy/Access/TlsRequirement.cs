using System.Globalization;

namespace Postern.Policy.Access;

/// <summary>
/// A <c>TLS_Clt:</c> value as sendmail's TLS_connection ruleset reads it: <c>VERIFY</c> (the
/// certificate must have verified), <c>VERIFY:bits</c> (and at least that cipher strength),
/// <c>ENCR:bits</c> (that strength only), optionally prefixed <c>PERM+</c> (refuse with 503 5.7.0)
/// or <c>TEMP+</c> (the default, 403 4.7.0). sendmail's further <c>+CN:</c>/<c>+CS:</c>/<c>+CI:</c>
/// requirements are not supported and refuse the map rather than load unenforced.
/// </summary>
/// <param name="Verify">The certificate must have verified (verify=OK).</param>
/// <param name="MinimumBits">The minimum cipher strength in bits; 0 for none.</param>
/// <param name="Permanent">Refuse with 503 5.7.0 instead of 403 4.7.0.</param>
public sealed record TlsRequirement(bool Verify, int MinimumBits, bool Permanent)
{
    public static bool TryParse(string value, out TlsRequirement requirement, out string error)
    {
        ArgumentNullException.ThrowIfNull(value);
        requirement = new TlsRequirement(false, 0, false);
        error = "";
        var text = value.Trim();
        var permanent = false;
        if (text.StartsWith("PERM+", StringComparison.OrdinalIgnoreCase))
        {
            permanent = true;
            text = text[5..];
        }
        else if (text.StartsWith("TEMP+", StringComparison.OrdinalIgnoreCase))
        {
            text = text[5..];
        }

        if (text.Contains('+', StringComparison.Ordinal))
        {
            error = "unsupported TLS_Clt value '" + value + "' (expected VERIFY, VERIFY:bits or ENCR:bits, optionally after PERM+ or TEMP+; +CN, +CS and +CI are not supported)";
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var word = (colon < 0 ? text : text[..colon]).ToUpperInvariant();
        var bitsText = colon < 0 ? null : text[(colon + 1)..];
        var bits = 0;
        if (bitsText is not null && (!int.TryParse(bitsText, NumberStyles.None, CultureInfo.InvariantCulture, out bits) || bits > 65536))
        {
            error = "TLS_Clt value '" + value + "': bits must be a number (VERIFY:128, ENCR:128)";
            return false;
        }

        switch (word)
        {
            case "VERIFY":
                requirement = new TlsRequirement(true, bits, permanent);
                return true;
            case "ENCR" when bitsText is not null:
                requirement = new TlsRequirement(false, bits, permanent);
                return true;
            default:
                error = "unsupported TLS_Clt value '" + value + "' (expected VERIFY, VERIFY:bits or ENCR:bits, optionally after PERM+ or TEMP+)";
                return false;
        }
    }
}
