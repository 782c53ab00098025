namespace Postern.Server.Options;

/// <summary>
/// What the server does with a bare LF (an LF without the CR before it) in message data, as
/// Postfix's <c>smtpd_forbid_bare_newline</c>. Either way only CR LF "." CR LF ends DATA.
/// </summary>
public enum BareNewlineMode
{
    /// <summary>A bare LF is a line end and is stored as CR LF (Postfix 3.9's default).</summary>
    Normalize,

    /// <summary>A message with a bare LF is refused with 550 5.6.0.</summary>
    Reject,
}
