namespace Postern.Protocol.Commands;

/// <summary>The SMTP command verbs Postern knows; anything else is <see cref="Unknown"/>.</summary>
public enum SmtpVerb
{
    Unknown,
    Helo,
    Ehlo,
    Mail,
    Rcpt,
    Data,
    Bdat,
    Rset,
    Noop,
    Quit,
    Vrfy,
    Expn,
    Help,
    StartTls,
    Auth,
    Etrn,
}
