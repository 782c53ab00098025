namespace Postern.Core.Queueing;

/// <summary>RFC 2852 by-mode: what happens when the deadline passes before delivery.</summary>
public enum DeliverByMode
{
    /// <summary>R: give up and return the message (a failure DSN).</summary>
    Return,

    /// <summary>N: go on trying, but notify the sender (a delay DSN).</summary>
    Notify,
}
