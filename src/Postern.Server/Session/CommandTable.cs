using System.Collections.Frozen;
using Postern.Protocol.Commands;

namespace Postern.Server.Session;

/// <summary>
/// The explicit command table: every verb the server knows, the state it needs, whether it may
/// come before TLS or AUTH, whether it ends a pipelining group, and its handler: every verb the
/// parser knows has a row (an unknown verb gets 500).
/// </summary>
/// <remarks>
/// The TLS and AUTH columns say *which* commands are gated; *whether* a session may run them is
/// the policy's decision, asked through the stage pipeline's command gate only while the session
/// lacks TLS or AUTH (the restrictions reject_plaintext_session and reject_unauthenticated_session,
/// in effect where the listener has <c>require_tls</c> or <c>auth = "require"</c>).
/// RCPT and DATA cannot pass their guard without an accepted MAIL, so their TLS/AUTH columns never
/// decide anything; they say what the rule is. BDAT is allowed through because its chunk must be
/// read before any refusal, which its handler does (and without MAIL it refuses anyway).
/// DATA ends a pipelining group with its 354, which its handler sends at once before reading the
/// message; its row says No because the reply the table sees is the end-of-data one, which may
/// travel with the replies to what the client pipelined after the message (QUIT).
/// </remarks>
internal static class CommandTable
{
    private const bool Yes = true;
    private const bool No = false;

    public static FrozenDictionary<SmtpVerb, CommandRule> Rules { get; } = new CommandRule[]
    {
        //  verb              guard                        before TLS, before AUTH, ends group
        new(SmtpVerb.Helo, CommandGuard.Anytime, Yes, Yes, Yes, static (s, c, t) => s.HeloAsync(c, extended: false, t)),
        new(SmtpVerb.Ehlo, CommandGuard.Anytime, Yes, Yes, Yes, static (s, c, t) => s.HeloAsync(c, extended: true, t)),
        new(SmtpVerb.Mail, CommandGuard.Greeted, No, No, No, static (s, c, t) => s.MailAsync(c, t)),
        new(SmtpVerb.Rcpt, CommandGuard.InTransaction, No, No, No, static (s, c, t) => s.RcptAsync(c, t)),
        new(SmtpVerb.Data, CommandGuard.HasRecipients, No, No, No, static (s, c, t) => s.DataAsync(c, t)),
        new(SmtpVerb.Bdat, CommandGuard.HandlerChecks, Yes, Yes, No, static (s, c, t) => s.BdatAsync(c, t)),
        new(SmtpVerb.Rset, CommandGuard.Anytime, Yes, Yes, No, static (s, c, t) => s.RsetAsync(c, t)),
        new(SmtpVerb.Noop, CommandGuard.Anytime, Yes, Yes, Yes, static (s, c, t) => SmtpSession.NoopAsync(c, t)),
        new(SmtpVerb.Quit, CommandGuard.Anytime, Yes, Yes, Yes, static (s, c, t) => s.QuitAsync(c, t)),
        new(SmtpVerb.Vrfy, CommandGuard.Anytime, Yes, Yes, Yes, static (s, c, t) => SmtpSession.VrfyAsync(c, t)),
        new(SmtpVerb.Help, CommandGuard.Anytime, Yes, Yes, No, static (s, c, t) => SmtpSession.HelpAsync(c, t)),
        new(SmtpVerb.Expn, CommandGuard.Anytime, Yes, Yes, Yes, static (s, c, t) => SmtpSession.ExpnAsync(c, t)),
        new(SmtpVerb.Etrn, CommandGuard.HandlerChecks, Yes, Yes, No, static (s, c, t) => s.EtrnAsync(c, t)),
        new(SmtpVerb.StartTls, CommandGuard.Anytime, Yes, Yes, Yes, static (s, c, t) => s.StartTlsAsync(c, t)),
        new(SmtpVerb.Auth, CommandGuard.HandlerChecks, Yes, Yes, Yes, static (s, c, t) => s.AuthAsync(c, t)),
    }.ToFrozenDictionary(rule => rule.Verb);
}
