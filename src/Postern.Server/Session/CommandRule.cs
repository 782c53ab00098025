using Postern.Core.Smtp;
using Postern.Protocol.Commands;

namespace Postern.Server.Session;

/// <summary>
/// One row of the command table. The dispatcher checks, in this order: the state guard, then
/// (on a listener with <c>require_tls</c>) whether the verb may come before TLS, then (with
/// <c>auth = "require"</c>) whether it may come before AUTH; only then does the handler run.
/// </summary>
/// <param name="Verb">The command.</param>
/// <param name="Guard">The dialogue state the command needs.</param>
/// <param name="BeforeTls">Allowed before STARTTLS where the listener requires TLS (else 530 5.7.0).</param>
/// <param name="BeforeAuth">Allowed before AUTH where the listener requires it (else 530 5.7.0).</param>
/// <param name="EndsGroup">
/// Ends a pipelining group (RFC 2920 section 3.1): the client waits for the replies, so they are
/// sent at once instead of waiting for the input to run dry.
/// </param>
/// <param name="Handler">Runs the command; null means no reply to send (STARTTLS after its handshake).</param>
internal sealed record CommandRule(
    SmtpVerb Verb,
    CommandGuard Guard,
    bool BeforeTls,
    bool BeforeAuth,
    bool EndsGroup,
    Func<SmtpSession, SmtpCommand, CancellationToken, ValueTask<SmtpReply?>> Handler);
