namespace Postern.Policy.Restrictions;

/// <summary>What one restriction says about one stage.</summary>
public enum RestrictionOutcome
{
    /// <summary>No opinion: the next restriction decides.</summary>
    Dunno,

    /// <summary>Accept the stage; later restrictions are not evaluated.</summary>
    Permit,

    /// <summary>Refuse with the result's reply; later restrictions are not evaluated.</summary>
    Reject,

    /// <summary>Accept for the client, drop the message (sendmail's DISCARD); ends the stage.</summary>
    Discard,

    /// <summary>Hold the message (QUARANTINE:reason); evaluation continues, so a later reject still wins.</summary>
    Quarantine,
}
