using System.Globalization;
using System.Text;

namespace Postern.Policy.Access;

/// <summary>
/// sendmail's "+XX" encoding of certificate DNs in access-map keys: <c>Foo Enterprises</c> is
/// written <c>Foo+20Enterprises</c>. Encoded are space, the set <c>&lt;&gt;()"+</c> and every byte
/// outside 0x21..0x7E (non-ASCII characters byte by byte of their UTF-8 form), as uppercase hex.
/// </summary>
public static class SendmailDnCodec
{
    private const string Specials = "<>()\"+";

    public static string Encode(string dn)
    {
        ArgumentNullException.ThrowIfNull(dn);
        var text = new StringBuilder(dn.Length);
        foreach (var b in Encoding.UTF8.GetBytes(dn))
        {
            if (b is < 0x21 or > 0x7E || Specials.Contains((char)b, StringComparison.Ordinal))
            {
                text.Append('+').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append((char)b);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Decodes <c>+XX</c> (either hex case). A <c>+</c> not followed by two hex digits is an error,
    /// never kept literally: sendmail itself always encodes '+', so a bare one is a typo that
    /// would otherwise silently never match.
    /// </summary>
    /// <exception cref="FormatException">A bad <c>+XX</c> or bytes that are not UTF-8.</exception>
    public static string Decode(string encoded)
    {
        if (!TryDecode(encoded, out var dn, out var error))
        {
            throw new FormatException(error);
        }

        return dn;
    }

    public static bool TryDecode(string encoded, out string dn, out string error)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        dn = "";
        error = "";
        var bytes = new List<byte>(encoded.Length);
        var run = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] != '+')
            {
                continue;
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(encoded[run..i]));
            if (i + 2 >= encoded.Length
                || !byte.TryParse(encoded.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                error = "'+' at offset " + i.ToString(CultureInfo.InvariantCulture) + " is not followed by two hex digits";
                return false;
            }

            bytes.Add(value);
            i += 2;
            run = i + 1;
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(encoded[run..]));
        try
        {
            dn = new UTF8Encoding(false, true).GetString(bytes.ToArray());
            return true;
        }
        catch (DecoderFallbackException)
        {
            error = "the decoded name is not valid UTF-8";
            return false;
        }
    }
}
