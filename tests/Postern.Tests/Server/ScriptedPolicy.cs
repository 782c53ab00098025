using Postern.Core.Addressing;
using Postern.Core.Policy;
using Postern.Core.Queueing;

namespace Postern.Tests.Server;

/// <summary>A policy that accepts everything except where a test scripted a decision for a stage (or a recipient).</summary>
internal sealed class ScriptedPolicy : IPolicyEngine
{
    private static readonly PolicyDecision Accept = PolicyDecision.Accept("scripted accept");

    public PolicyDecision? Connect { get; init; }

    public PolicyDecision? Helo { get; init; }

    /// <summary>When set, <see cref="Helo"/> applies only to this HELO/EHLO name.</summary>
    public string? HeloName { get; init; }

    /// <summary>The command gate's answer (before MAIL, RCPT, DATA in a session lacking TLS or AUTH).</summary>
    public PolicyDecision? Command { get; init; }

    public PolicyDecision? Sender { get; init; }

    /// <summary>Decisions for recipients by local part; others are accepted.</summary>
    public Dictionary<string, PolicyDecision> Recipients { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    public PolicyDecision? Data { get; init; }

    public ValueTask<PolicyDecision> CheckConnectAsync(SessionFacts session, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Connect ?? Accept);

    public ValueTask<PolicyDecision> CheckHeloAsync(SessionFacts session, string heloName, CancellationToken cancellationToken) =>
        ValueTask.FromResult(HeloName is null || HeloName == heloName ? Helo ?? Accept : Accept);

    public ValueTask<PolicyDecision> CheckCommandAsync(SessionFacts session, string verb, CommandNeeds needs, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Command ?? Accept);

    public ValueTask<PolicyDecision> CheckSenderAsync(SessionFacts session, Mailbox? sender, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Sender ?? Accept);

    public ValueTask<PolicyDecision> CheckRecipientAsync(SessionFacts session, Mailbox? sender, Mailbox recipient, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Recipients.TryGetValue(recipient.LocalPart, out var decision) ? decision : Accept);

    public ValueTask<PolicyDecision> CheckDataAsync(SessionFacts session, Envelope envelope, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Data ?? Accept);
}
