namespace Postern.Tools.Check;

/// <summary>
/// One relay attempt: MAIL, RCPT, then RSET (never DATA). <see cref="Authenticated"/> and
/// <see cref="WithClientCertificate"/> say what credentials the session carried.
/// </summary>
internal sealed record RelayAttemptResult(
    string From,
    string Recipient,
    bool Authenticated,
    bool WithClientCertificate,
    ReplyFacts Mail,
    ReplyFacts? Rcpt)
{
    public bool Accepted => Mail.IsPositive && Rcpt is { IsPositive: true };
}
