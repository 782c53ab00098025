namespace Postern.Policy.Access;

/// <summary>The right-hand side of an access-map line.</summary>
public enum AccessAction
{
    Ok,
    Relay,
    Reject,
    Discard,
    Skip,

    /// <summary><c>ERROR:...</c>; the reply is in <see cref="AccessEntry.Reply"/>.</summary>
    Error,

    /// <summary><c>SUBJECT</c>, only after <c>CERTISSUER:</c>: the subject must be listed under <c>CERTSUBJECT:</c> too.</summary>
    Subject,

    /// <summary><c>QUARANTINE:reason</c>: accept, but hold the message in the queue; the reason is <see cref="AccessEntry.QuarantineReason"/>.</summary>
    Quarantine,

    /// <summary>A number (<c>ClientRate:</c>, <c>ClientConn:</c>, <c>GreetPause:</c>); see <see cref="AccessEntry.Limit"/>.</summary>
    Limit,

    /// <summary>A value Postern does not interpret (TLS_Clt and other tags); see <see cref="AccessEntry.Value"/>.</summary>
    Text,
}
