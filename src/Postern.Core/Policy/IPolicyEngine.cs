using Postern.Core.Addressing;
using Postern.Core.Queueing;

namespace Postern.Core.Policy;

/// <summary>The one place that decides who may do what; the server asks it at every stage.</summary>
public interface IPolicyEngine
{
    ValueTask<PolicyDecision> CheckConnectAsync(SessionFacts session, CancellationToken cancellationToken);

    ValueTask<PolicyDecision> CheckHeloAsync(SessionFacts session, string heloName, CancellationToken cancellationToken);

    ValueTask<PolicyDecision> CheckSenderAsync(SessionFacts session, Mailbox? sender, CancellationToken cancellationToken);

    ValueTask<PolicyDecision> CheckRecipientAsync(
        SessionFacts session,
        Mailbox? sender,
        Mailbox recipient,
        CancellationToken cancellationToken);

    /// <summary>At end of data, before the message is committed.</summary>
    ValueTask<PolicyDecision> CheckDataAsync(SessionFacts session, Envelope envelope, CancellationToken cancellationToken);
}
