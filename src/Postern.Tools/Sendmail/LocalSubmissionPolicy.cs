using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Policy;
using Postern.Core.Queueing;

namespace Postern.Tools.Sendmail;

/// <summary>
/// The policy of <c>sendmail -bs</c>: the client is a local user on stdin/stdout, trusted like
/// sendmail's MSP, so the relay restrictions do not apply; <see cref="LocalRecipientRule"/> does.
/// </summary>
internal sealed class LocalSubmissionPolicy(ILocalRecipients local) : IPolicyEngine
{
    private static readonly PolicyDecision Local = PolicyDecision.Accept("local submission");

    public ValueTask<PolicyDecision> CheckConnectAsync(SessionFacts session, CancellationToken cancellationToken) => ValueTask.FromResult(Local);

    public ValueTask<PolicyDecision> CheckHeloAsync(SessionFacts session, string heloName, CancellationToken cancellationToken) => ValueTask.FromResult(Local);

    /// <summary>A session on stdin has no listener, so no listener's TLS or AUTH requirement: every command may run.</summary>
    public ValueTask<PolicyDecision> CheckCommandAsync(SessionFacts session, string verb, CommandNeeds needs, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Local);

    public ValueTask<PolicyDecision> CheckSenderAsync(SessionFacts session, Mailbox? sender, CancellationToken cancellationToken) => ValueTask.FromResult(Local);

    public ValueTask<PolicyDecision> CheckRecipientAsync(SessionFacts session, Mailbox? sender, Mailbox recipient, CancellationToken cancellationToken) =>
        ValueTask.FromResult(LocalRecipientRule.Check(recipient, local) is { } refusal
            ? PolicyDecision.Reject(refusal, "local submission: " + refusal.Lines[0])
            : Local);

    public ValueTask<PolicyDecision> CheckDataAsync(SessionFacts session, Envelope envelope, CancellationToken cancellationToken) => ValueTask.FromResult(Local);
}
