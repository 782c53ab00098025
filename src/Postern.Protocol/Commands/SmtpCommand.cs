namespace Postern.Protocol.Commands;

/// <summary>
/// One command line split into verb and argument. <see cref="VerbText"/> is the verb as the
/// client wrote it; <see cref="Argument"/> is everything after the single space that follows
/// the verb, trailing spaces removed (for MAIL it is <c>FROM:&lt;...&gt; params</c>).
/// </summary>
public sealed record SmtpCommand(SmtpVerb Verb, string VerbText, string Argument)
{
    /// <summary>
    /// The line held NUL, a control character other than TAB (C0, DEL or C1), or invalid UTF-8. The verb is
    /// still recognised so the session can answer in step, but it must refuse the command.
    /// </summary>
    public bool HasInvalidBytes { get; init; }
}
