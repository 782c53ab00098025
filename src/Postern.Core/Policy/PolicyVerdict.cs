namespace Postern.Core.Policy;

public enum PolicyVerdict
{
    Accept,
    Reject,

    /// <summary>Sendmail's DISCARD: the client is told 250, and the whole message is dropped at end of data.</summary>
    Discard,

    /// <summary>Sendmail's QUARANTINE:reason: the message is accepted and queued on hold with that reason.</summary>
    Quarantine,
}
