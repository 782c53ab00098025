namespace Postern.Delivery.Routing;

/// <summary>How a TXT lookup ended.</summary>
public enum TxtAnswerStatus
{
    /// <summary>At least one TXT record.</summary>
    Found,

    /// <summary>The name does not exist or has no TXT records.</summary>
    NotFound,

    /// <summary>The lookup failed for now (SERVFAIL, timeout): nothing is known.</summary>
    Failed,
}
