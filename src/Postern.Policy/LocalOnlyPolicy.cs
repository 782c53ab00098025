using Postern.Core.Addressing;
using Postern.Core.Delivery;
using Postern.Core.Policy;
using Postern.Core.Queueing;
using Postern.Core.Smtp;

namespace Postern.Policy;

/// <summary>
/// The policy until relaying is configurable: accept mail for known local recipients and nothing
/// else. Never relays: a recipient outside the local domains gets 550 5.7.1, whoever asks.
/// </summary>
public sealed class LocalOnlyPolicy(Func<ILocalRecipients> localRecipients) : IPolicyEngine
{
    public ValueTask<PolicyDecision> CheckConnectAsync(SessionFacts session, CancellationToken cancellationToken) =>
        ValueTask.FromResult(PolicyDecision.Accept("no connect restrictions"));

    public ValueTask<PolicyDecision> CheckHeloAsync(SessionFacts session, string heloName, CancellationToken cancellationToken) =>
        ValueTask.FromResult(PolicyDecision.Accept("no helo restrictions"));

    public ValueTask<PolicyDecision> CheckSenderAsync(SessionFacts session, Mailbox? sender, CancellationToken cancellationToken) =>
        ValueTask.FromResult(PolicyDecision.Accept("no sender restrictions"));

    public ValueTask<PolicyDecision> CheckRecipientAsync(
        SessionFacts session,
        Mailbox? sender,
        Mailbox recipient,
        CancellationToken cancellationToken) =>
        ValueTask.FromResult(Decide(recipient));

    public ValueTask<PolicyDecision> CheckDataAsync(SessionFacts session, Envelope envelope, CancellationToken cancellationToken) =>
        ValueTask.FromResult(PolicyDecision.Accept("no data restrictions"));

    private PolicyDecision Decide(Mailbox recipient)
    {
        var directory = localRecipients();
        if (recipient.IsDomainLiteral || !directory.IsLocalDomain(recipient.Domain))
        {
            return PolicyDecision.Reject(
                new SmtpReply(550, "5.7.1", "<" + recipient + ">: Relaying denied"),
                "recipient domain is not local and relaying is not configured");
        }
        return directory.Lookup(recipient) switch
        {
            LocalRecipientStatus.Known => PolicyDecision.Accept("local recipient"),
            LocalRecipientStatus.Unknown => PolicyDecision.Reject(
                new SmtpReply(550, "5.1.1", "<" + recipient + ">: Recipient address rejected: User unknown"),
                "no such local user or alias"),
            _ => PolicyDecision.Reject(
                new SmtpReply(451, "4.3.0", "<" + recipient + ">: Temporary lookup failure"),
                "local recipient lookup failed"),
        };
    }
}
