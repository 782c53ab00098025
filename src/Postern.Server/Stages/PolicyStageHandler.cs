using Postern.Core.Addressing;
using Postern.Core.Policy;
using Postern.Core.Stages;

namespace Postern.Server.Stages;

/// <summary>The policy engine (the restriction lists) as the pipeline's first handler: each stage is its check.</summary>
internal sealed class PolicyStageHandler(IPolicyEngine policy) : IStageHandler
{
    public string Name => "restrictions";

    public ValueTask<PolicyDecision> ConnectAsync(SessionFacts session, CancellationToken cancellationToken) =>
        policy.CheckConnectAsync(session, cancellationToken);

    public ValueTask<PolicyDecision> HeloAsync(SessionFacts session, string heloName, CancellationToken cancellationToken) =>
        policy.CheckHeloAsync(session, heloName, cancellationToken);

    public ValueTask<PolicyDecision> CommandAsync(SessionFacts session, string verb, CommandNeeds needs, CancellationToken cancellationToken) =>
        policy.CheckCommandAsync(session, verb, needs, cancellationToken);

    public ValueTask<PolicyDecision> MailAsync(SessionFacts session, Mailbox? sender, CancellationToken cancellationToken) =>
        policy.CheckSenderAsync(session, sender, cancellationToken);

    public ValueTask<PolicyDecision> RecipientAsync(SessionFacts session, Mailbox? sender, Mailbox recipient, CancellationToken cancellationToken) =>
        policy.CheckRecipientAsync(session, sender, recipient, cancellationToken);

    public ValueTask<PolicyDecision> EndOfDataAsync(SessionFacts session, MessageDraft draft, CancellationToken cancellationToken) =>
        policy.CheckDataAsync(session, draft.Envelope, cancellationToken);
}
