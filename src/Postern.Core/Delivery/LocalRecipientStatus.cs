namespace Postern.Core.Delivery;

public enum LocalRecipientStatus
{
    /// <summary>A local user or alias: accept.</summary>
    Known,

    /// <summary>Not a local user or alias: 550 5.1.1.</summary>
    Unknown,

    /// <summary>Could not tell now (an :include: file unreadable...): 451 4.3.0.</summary>
    TemporaryFailure,
}
