namespace Postern.Pki.Authority;

/// <summary>Days left and the state of a certificate at a given time.</summary>
public static class ExpiryCheck
{
    /// <summary>Whole days left (negative once expired: days since).</summary>
    public static int DaysLeft(DateTimeOffset notAfter, DateTimeOffset now) =>
        (int)Math.Floor((notAfter - now).TotalDays);

    /// <summary>Expired at or after NotAfter; expiring when less than <paramref name="warnDays"/> days remain.</summary>
    public static ExpiryState State(DateTimeOffset notAfter, DateTimeOffset now, int warnDays) =>
        now >= notAfter ? ExpiryState.Expired
        : notAfter - now < TimeSpan.FromDays(warnDays) ? ExpiryState.Expiring
        : ExpiryState.Valid;
}
