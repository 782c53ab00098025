using System.Globalization;

namespace Postern.Config;

/// <summary>Durations written as a whole number and one unit: <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>2d</c>.</summary>
public static class DurationSyntax
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text.Length < 2)
        {
            return false;
        }
        var digits = text[..^1];
        // Nine digits bound the value far below TimeSpan's range whatever the unit.
        if (digits.Length > 9 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }
        var count = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        switch (text[^1])
        {
            case 's':
                duration = TimeSpan.FromSeconds(count);
                return true;
            case 'm':
                duration = TimeSpan.FromMinutes(count);
                return true;
            case 'h':
                duration = TimeSpan.FromHours(count);
                return true;
            case 'd':
                duration = TimeSpan.FromDays(count);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The largest whole unit, for messages: 3600 s -> "1h".</summary>
    public static string Format(TimeSpan duration)
    {
        var seconds = (long)duration.TotalSeconds;
        return seconds switch
        {
            > 0 when seconds % 86400 == 0 => $"{seconds / 86400}d",
            > 0 when seconds % 3600 == 0 => $"{seconds / 3600}h",
            > 0 when seconds % 60 == 0 => $"{seconds / 60}m",
            _ => $"{seconds}s",
        };
    }
}
