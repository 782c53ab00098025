using System.Globalization;

namespace Postern.Database;

/// <summary>A timeout as a person writes it in the configuration (5s, 250ms).</summary>
internal static class Durations
{
    public static string Describe(TimeSpan span) =>
        span.TotalSeconds >= 1 && span.Milliseconds == 0
            ? ((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"
            : ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
}
