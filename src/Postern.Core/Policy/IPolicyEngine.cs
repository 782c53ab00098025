using Postern.Core.Addressing;
using Postern.Core.Queueing;

namespace Postern.Core.Policy;

/// <summary>The one place that decides who may do what; the server asks it at every stage.</summary>
public interface IPolicyEngine
{
    ValueTask<PolicyDecision> CheckConnectAsync(SessionFacts session, CancellationToken cancellationToken);

    ValueTask<PolicyDecision> CheckHeloAsync(SessionFacts session, string heloName, CancellationToken cancellationToken);

    /// <summary>
    /// Before a command that <paramref name="needs"/> an established session (MAIL, RCPT, DATA)
    /// runs, and before its argument is read, when the session lacks some of it (no TLS, no AUTH):
    /// may this session run it? Every engine answers for itself, so no engine lets a listener's
    /// <c>require_tls</c> or <c>auth = "require"</c> pass by forgetting the question.
    /// </summary>
    /// <param name="session">The session as it is.</param>
    /// <param name="verb">The command, upper case (<c>MAIL</c>).</param>
    /// <param name="needs">What the command needs (the session lacks some of it).</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    ValueTask<PolicyDecision> CheckCommandAsync(SessionFacts session, string verb, CommandNeeds needs, CancellationToken cancellationToken);

    ValueTask<PolicyDecision> CheckSenderAsync(SessionFacts session, Mailbox? sender, CancellationToken cancellationToken);

    ValueTask<PolicyDecision> CheckRecipientAsync(
        SessionFacts session,
        Mailbox? sender,
        Mailbox recipient,
        CancellationToken cancellationToken);

    /// <summary>At end of data, before the message is committed.</summary>
    ValueTask<PolicyDecision> CheckDataAsync(SessionFacts session, Envelope envelope, CancellationToken cancellationToken);
}
