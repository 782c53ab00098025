namespace Postern.Core.Tls;

public enum ListenerTlsMode
{
    /// <summary>Plain SMTP, no STARTTLS offered.</summary>
    None,

    /// <summary>STARTTLS offered in EHLO (ports 25 and 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (SMTPS, port 465).</summary>
    Implicit,
}
