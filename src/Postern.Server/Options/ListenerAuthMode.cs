namespace Postern.Server.Options;

/// <summary>A listener's <c>auth</c> key: whether SMTP AUTH is offered, and whether MAIL needs it.</summary>
public enum ListenerAuthMode
{
    /// <summary>No AUTH keyword in EHLO; the AUTH command is refused.</summary>
    Off,

    /// <summary>AUTH offered with the mechanisms available in the session; mail also accepted without it.</summary>
    Offer,

    /// <summary>AUTH offered and MAIL refused with 530 5.7.0 until it succeeded (sendmail's <c>M=a</c>).</summary>
    Require,
}
