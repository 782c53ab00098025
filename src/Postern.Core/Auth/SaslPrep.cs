using System.Buffers;
using System.Globalization;
using System.Text;

namespace Postern.Core.Auth;

/// <summary>
/// The practical subset of SASLprep (RFC 4013) for user names and passwords: non-ASCII spaces map
/// to U+0020, "commonly mapped to nothing" characters are removed, the prohibited characters of
/// RFC 4013 section 2.3 (controls, private use, non-characters, surrogates, display-changing and
/// tagging characters) and unassigned code points are refused, and the bidirectional rule is
/// checked with the right-to-left scripts' blocks standing in for the RandALCat table. No NFKC:
/// Postern runs in invariant globalization mode, which has no Unicode normalization tables, so a
/// string is compared by its code points; this only matters for compatibility characters (such as
/// U+2168 ROMAN NUMERAL NINE), which a client that does apply NFKC would send differently.
/// </summary>
public static class SaslPrep
{
    /// <summary>The prepared string, or null when it holds a prohibited character or breaks the bidi rule.</summary>
    public static string? Prepare(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IsPlainAscii(value))
        {
            return value;
        }
        var builder = new StringBuilder(value.Length);
        var index = 0;
        while (index < value.Length)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(index), out var rune, out var consumed) != OperationStatus.Done)
            {
                return null; // a lone surrogate (C.5)
            }
            index += consumed;
            if (MapsToNothing(rune.Value))
            {
                continue;
            }
            var mapped = IsNonAsciiSpace(rune.Value) ? new Rune(' ') : rune;
            if (IsProhibited(mapped.Value) || Rune.GetUnicodeCategory(mapped) == UnicodeCategory.OtherNotAssigned)
            {
                return null;
            }
            builder.Append(mapped.ToString());
        }
        var prepared = builder.ToString();
        return SatisfiesBidiRule(prepared) ? prepared : null;
    }

    private static bool IsPlainAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < (char)0x20 or > (char)0x7E)
            {
                return false;
            }
        }
        return true;
    }

    // RFC 3454 table B.1.
    private static bool MapsToNothing(int c) =>
        c is 0x00AD or 0x034F or 0x1806 or (>= 0x180B and <= 0x180D) or (>= 0x200B and <= 0x200D) or 0x2060 or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF;

    // RFC 3454 table C.1.2.
    private static bool IsNonAsciiSpace(int c) =>
        c is 0x00A0 or 0x1680 or (>= 0x2000 and <= 0x200B) or 0x202F or 0x205F or 0x3000;

    // RFC 4013 section 2.3: tables C.2.1 to C.9.
    private static bool IsProhibited(int c) =>
        c is < 0x20 or 0x7F or (>= 0x80 and <= 0x9F) // C.2.1, C.2.2
        || c is 0x06DD or 0x070F or 0x180E or 0x200C or 0x200D or 0x2028 or 0x2029 or (>= 0x2060 and <= 0x2063) or (>= 0x206A and <= 0x206F)
        || c is (>= 0xFFF9 and <= 0xFFFD) or (>= 0x1D173 and <= 0x1D17A) // C.2.2, C.6
        || c is (>= 0xE000 and <= 0xF8FF) or (>= 0xF0000 and <= 0xFFFFD) or (>= 0x100000 and <= 0x10FFFD) // C.3
        || c is (>= 0xFDD0 and <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE // C.4
        || c is (>= 0x2FF0 and <= 0x2FFB) // C.7
        || c is 0x0340 or 0x0341 or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) // C.8
        || c is 0xE0001 or (>= 0xE0020 and <= 0xE007F); // C.9

    /// <summary>
    /// RFC 3454 section 6: a string with right-to-left characters holds no left-to-right letters and
    /// starts and ends with a right-to-left character.
    /// </summary>
    private static bool SatisfiesBidiRule(string value)
    {
        var runes = value.EnumerateRunes().ToList();
        if (!runes.Exists(r => IsRightToLeft(r.Value)))
        {
            return true;
        }
        if (runes.Exists(r => Rune.IsLetter(r) && !IsRightToLeft(r.Value)))
        {
            return false;
        }
        return IsRightToLeft(runes[0].Value) && IsRightToLeft(runes[^1].Value);
    }

    // Hebrew, Arabic, Syriac, Thaana, NKo and their presentation forms: the scripts of table D.1.
    private static bool IsRightToLeft(int c) =>
        c is (>= 0x05BE and <= 0x05FF) or (>= 0x0600 and <= 0x07FF) or (>= 0x08A0 and <= 0x08FF)
            or (>= 0xFB1D and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFC)
        && Rune.GetUnicodeCategory(new Rune(c)) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.DecimalDigitNumber);
}
