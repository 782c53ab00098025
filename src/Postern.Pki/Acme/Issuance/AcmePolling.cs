namespace Postern.Pki.Acme.Issuance;

/// <summary>
/// The wait between two looks at a pending authorization or a processing order: the server's
/// Retry-After when it sent one (RFC 8555 7.5.1, 7.4), else 2 seconds, never more than 30 seconds
/// (the order's deadline bounds the number of looks).
/// </summary>
internal static class AcmePolling
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(30);

    public static TimeSpan Interval(TimeSpan? retryAfter) =>
        retryAfter is not { } after || after <= TimeSpan.Zero ? DefaultInterval
        : after > MaxInterval ? MaxInterval
        : after;

    public static Task WaitAsync(TimeSpan? retryAfter, TimeProvider clock, CancellationToken cancellationToken) =>
        Task.Delay(Interval(retryAfter), clock, cancellationToken);
}
