using Postern.Core.Policy;
using Postern.Core.Smtp;
using Postern.Protocol.Commands;

namespace Postern.Server.Session;

/// <summary>
/// One row of the command table. The dispatcher checks, in this order: the state guard, then,
/// for a command that may not come before TLS or AUTH while the session lacks it, the stage
/// pipeline's command gate (the policy decides whether this listener requires them:
/// reject_plaintext_session, reject_unauthenticated_session); only then does the handler run,
/// so a refused command's argument is never parsed.
/// </summary>
/// <param name="Verb">The command.</param>
/// <param name="Guard">The dialogue state the command needs.</param>
/// <param name="BeforeTls">Allowed before STARTTLS; else gated where the listener requires TLS (530 5.7.0).</param>
/// <param name="BeforeAuth">Allowed before AUTH; else gated where the listener requires it (530 5.7.0).</param>
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
    Func<SmtpSession, SmtpCommand, CancellationToken, ValueTask<SmtpReply?>> Handler)
{
    /// <summary>What the command needs of the session, as the gate is told.</summary>
    public CommandNeeds Needs { get; } = (BeforeTls ? CommandNeeds.None : CommandNeeds.Tls) | (BeforeAuth ? CommandNeeds.None : CommandNeeds.Authentication);
}
