namespace Postern.Pki.Acme.Protocol;

/// <summary>
/// Retry-After (RFC 9110 10.2.3) as a wait from now: delay-seconds or an HTTP-date. A date in the
/// past is zero; an absurd one is capped, so a broken server cannot park renewal for a year.
/// </summary>
internal static class RetryAfterHeader
{
    /// <summary>The longest wait taken from a server.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(7);

    public static TimeSpan? Read(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - now : null);
        if (wait is null)
        {
            return null;
        }
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > Longest ? Longest : wait;
    }
}
