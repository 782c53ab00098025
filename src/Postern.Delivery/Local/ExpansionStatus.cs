namespace Postern.Delivery.Local;

public enum ExpansionStatus
{
    /// <summary>Expanded to at least one target.</summary>
    Ok,

    /// <summary>Not a local user or alias (or not a local domain): 550 5.1.1.</summary>
    Unknown,

    /// <summary>An :include: file could not be read or parsed: try again later (4.3.0).</summary>
    TemporaryFailure,

    /// <summary>An alias loop or nesting too deep: 5.4.6.</summary>
    Failed,
}
