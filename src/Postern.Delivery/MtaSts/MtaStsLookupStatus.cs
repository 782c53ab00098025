namespace Postern.Delivery.MtaSts;

/// <summary>What looking for a domain's MTA-STS policy found.</summary>
public enum MtaStsLookupStatus
{
    /// <summary>No <c>_mta-sts</c> TXT record and no cached policy: MTA-STS does not apply.</summary>
    NoPolicy,

    /// <summary>A valid policy, fresh from the policy host or still valid in the cache.</summary>
    Found,

    /// <summary>
    /// The domain announces a policy but it could not be fetched or parsed, and none is cached:
    /// delivery goes on as if there were no policy (RFC 8461 5), and TLS-RPT hears of it.
    /// </summary>
    Unavailable,
}
