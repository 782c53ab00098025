namespace Postern.Delivery.Relay;

public enum RelayDestinationStatus
{
    /// <summary>Hosts to try.</summary>
    Ok,

    /// <summary>The domain does not take mail (null MX, no such domain): fail the recipients now.</summary>
    PermanentFailure,

    /// <summary>DNS failed for now: defer the recipients.</summary>
    TemporaryFailure,
}
