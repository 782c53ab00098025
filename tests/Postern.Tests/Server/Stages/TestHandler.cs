using Postern.Core.Addressing;
using Postern.Core.Policy;
using Postern.Core.Stages;

namespace Postern.Tests.Server.Stages;

/// <summary>A stage handler whose answers a test scripts; it records which stages it was asked.</summary>
internal sealed class TestHandler(string name) : IStageHandler
{
    private static readonly PolicyDecision Accept = PolicyDecision.Accept("test accept");

    public string Name => name;

    public bool WantsContent { get; init; }

    public bool EditsMessage { get; init; }

    public PolicyDecision? Command { get; init; }

    public PolicyDecision? Mail { get; init; }

    public PolicyDecision? Recipient { get; init; }

    public Func<ReadOnlyMemory<byte>, PolicyDecision>? Headers { get; init; }

    public Func<ReadOnlyMemory<byte>, PolicyDecision>? Body { get; init; }

    public Func<MessageDraft, PolicyDecision>? EndOfData { get; init; }

    public List<string> Asked { get; } = [];

    public ValueTask<PolicyDecision> ConnectAsync(SessionFacts session, CancellationToken cancellationToken) => Answer("connect", null);

    public ValueTask<PolicyDecision> HeloAsync(SessionFacts session, string heloName, CancellationToken cancellationToken) => Answer("helo", null);

    public ValueTask<PolicyDecision> CommandAsync(SessionFacts session, string verb, CommandNeeds needs, CancellationToken cancellationToken) =>
        Answer("command " + verb, Command);

    public ValueTask<PolicyDecision> MailAsync(SessionFacts session, Mailbox? sender, CancellationToken cancellationToken) => Answer("mail", Mail);

    public ValueTask<PolicyDecision> RecipientAsync(SessionFacts session, Mailbox? sender, Mailbox recipient, CancellationToken cancellationToken) =>
        Answer("rcpt", Recipient);

    public ValueTask<PolicyDecision> HeadersAsync(SessionFacts session, ReadOnlyMemory<byte> headerBlock, CancellationToken cancellationToken) =>
        Answer("headers", Headers?.Invoke(headerBlock));

    public ValueTask<PolicyDecision> BodyChunkAsync(SessionFacts session, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken) =>
        Answer("body", Body?.Invoke(chunk));

    public ValueTask<PolicyDecision> EndOfDataAsync(SessionFacts session, MessageDraft draft, CancellationToken cancellationToken) =>
        Answer("eod", EndOfData?.Invoke(draft));

    private ValueTask<PolicyDecision> Answer(string stage, PolicyDecision? decision)
    {
        Asked.Add(stage);
        return ValueTask.FromResult(decision ?? Accept);
    }
}
