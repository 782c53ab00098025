using System.Globalization;

namespace Postern.Config;

/// <summary>Sizes written as bytes or with a binary K/M/G suffix: <c>25M</c> = 25 * 1024 * 1024.</summary>
internal static class ByteSizeSyntax
{
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        if (text.Length == 0)
        {
            return false;
        }
        var multiplier = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => 1024L,
            'M' => 1024L * 1024,
            'G' => 1024L * 1024 * 1024,
            _ => 1L,
        };
        var digits = multiplier == 1 ? text : text[..^1];
        // Digits only: no sign, spaces, or thousands separators; 12 digits keep the product in range.
        if (digits.Length is 0 or > 12 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }
        bytes = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) * multiplier;
        return true;
    }

    /// <summary>The shortest exact spelling, for messages: 2147483648 -> "2G".</summary>
    public static string Format(long bytes) => bytes switch
    {
        > 0 when bytes % (1024L * 1024 * 1024) == 0 => $"{bytes / (1024L * 1024 * 1024)}G",
        > 0 when bytes % (1024L * 1024) == 0 => $"{bytes / (1024L * 1024)}M",
        > 0 when bytes % 1024 == 0 => $"{bytes / 1024}K",
        _ => bytes.ToString(CultureInfo.InvariantCulture),
    };
}
