using System.Collections.Frozen;
using Postern.Protocol.Commands;

namespace Postern.Server.Session;

/// <summary>
/// The explicit command table: every verb the server knows, the state it needs and its handler.
/// Verbs not listed here get 502 (known but not offered) or 500 (unknown).
/// </summary>
internal static class CommandTable
{
    public static FrozenDictionary<SmtpVerb, CommandRule> Rules { get; } = new CommandRule[]
    {
        new(SmtpVerb.Helo, CommandGuard.Anytime, static (s, c, t) => s.HeloAsync(c, extended: false, t)),
        new(SmtpVerb.Ehlo, CommandGuard.Anytime, static (s, c, t) => s.HeloAsync(c, extended: true, t)),
        new(SmtpVerb.Mail, CommandGuard.Greeted, static (s, c, t) => s.MailAsync(c, t)),
        new(SmtpVerb.Rcpt, CommandGuard.InTransaction, static (s, c, t) => s.RcptAsync(c, t)),
        new(SmtpVerb.Data, CommandGuard.HasRecipients, static (s, c, t) => s.DataAsync(c, t)),
        new(SmtpVerb.Bdat, CommandGuard.HandlerChecks, static (s, c, t) => s.BdatAsync(c, t)),
        new(SmtpVerb.Rset, CommandGuard.Anytime, static (s, c, t) => s.RsetAsync(c, t)),
        new(SmtpVerb.Noop, CommandGuard.Anytime, static (s, c, t) => SmtpSession.NoopAsync(c, t)),
        new(SmtpVerb.Quit, CommandGuard.Anytime, static (s, c, t) => s.QuitAsync(c, t)),
        new(SmtpVerb.Vrfy, CommandGuard.Anytime, static (s, c, t) => SmtpSession.VrfyAsync(c, t)),
        new(SmtpVerb.Help, CommandGuard.Anytime, static (s, c, t) => SmtpSession.HelpAsync(c, t)),
        new(SmtpVerb.Etrn, CommandGuard.HandlerChecks, static (s, c, t) => s.EtrnAsync(c, t)),
        new(SmtpVerb.StartTls, CommandGuard.Anytime, static (s, c, t) => s.StartTlsAsync(c, t)),
        new(SmtpVerb.Auth, CommandGuard.HandlerChecks, static (s, c, t) => s.AuthAsync(c, t)),
    }.ToFrozenDictionary(rule => rule.Verb);
}
