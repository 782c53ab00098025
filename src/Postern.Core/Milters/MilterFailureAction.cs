namespace Postern.Core.Milters;

/// <summary>
/// What a session does when a milter is unreachable, times out or breaks the protocol (sendmail's
/// <c>F=T</c>/<c>F=R</c>, Postfix's <c>milter_default_action</c>).
/// </summary>
public enum MilterFailureAction
{
    /// <summary>The stage answers 451 4.7.1 (the default): the client tries again later.</summary>
    TempFail,

    /// <summary>The milter is skipped for the rest of the session, as if it were not configured.</summary>
    Accept,

    /// <summary>The stage answers 550 5.7.1.</summary>
    Reject,
}
