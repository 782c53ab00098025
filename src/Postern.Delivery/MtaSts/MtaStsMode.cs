namespace Postern.Delivery.MtaSts;

/// <summary>An MTA-STS policy's mode (RFC 8461 3.2).</summary>
public enum MtaStsMode
{
    /// <summary>"none": the domain withdrew its policy.</summary>
    None,

    /// <summary>"testing": check and report failures (TLS-RPT), but deliver anyway.</summary>
    Testing,

    /// <summary>"enforce": only to MX hosts in the policy, only over TLS whose certificate verifies for the MX host.</summary>
    Enforce,
}
