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

    public PolicyDecision? Data { get; init; }

    /// <summary>When set, each session gets its own handler from this factory (as a milter's connection is per session).</summary>
    public Func<TestHandler>? PerSession { get; init; }

    /// <summary>The ESMTP parameters MAIL and RCPT brought, one entry a command (<c>mail SIZE=10</c>).</summary>
    public List<string> Parameters { get; } = [];

    public Func<ReadOnlyMemory<byte>, PolicyDecision>? Headers { get; init; }

    public Func<ReadOnlyMemory<byte>, PolicyDecision>? Body { get; init; }

    public Func<MessageDraft, PolicyDecision>? EndOfData { get; init; }

    public List<string> Asked { get; } = [];

    public ValueTask<PolicyDecision> ConnectAsync(SessionFacts session, CancellationToken cancellationToken) => Answer("connect", null);

    public ValueTask<PolicyDecision> HeloAsync(SessionFacts session, string heloName, CancellationToken cancellationToken) => Answer("helo", null);

    public ValueTask<PolicyDecision> CommandAsync(SessionFacts session, string verb, CommandNeeds needs, CancellationToken cancellationToken) =>
        Answer("command " + verb, Command);

    public IStageHandler OpenSession() => PerSession is { } open ? open() : this;

    public ValueTask<PolicyDecision> MailAsync(SessionFacts session, Mailbox? sender, IReadOnlyList<string> parameters, CancellationToken cancellationToken)
    {
        Parameters.Add(string.Join(' ', ["mail", .. parameters]));
        return Answer("mail", Mail);
    }

    public ValueTask<PolicyDecision> RecipientAsync(
        SessionFacts session, Mailbox? sender, Mailbox recipient, IReadOnlyList<string> parameters, CancellationToken cancellationToken)
    {
        Parameters.Add(string.Join(' ', ["rcpt", .. parameters]));
        return Answer("rcpt", Recipient);
    }

    public ValueTask<PolicyDecision> DataAsync(SessionFacts session, CancellationToken cancellationToken) => Answer("data", Data);

    public ValueTask<PolicyDecision> HeadersAsync(SessionFacts session, ReadOnlyMemory<byte> headerBlock, CancellationToken cancellationToken) =>
        Answer("headers", Headers?.Invoke(headerBlock));

    public ValueTask<PolicyDecision> BodyChunkAsync(SessionFacts session, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken) =>
        Answer("body", Body?.Invoke(chunk));

    public ValueTask<PolicyDecision> EndOfDataAsync(SessionFacts session, MessageDraft draft, CancellationToken cancellationToken) =>
        Answer("eod", EndOfData?.Invoke(draft));

    public ValueTask AbortAsync(SessionFacts session, CancellationToken cancellationToken)
    {
        Asked.Add("abort");
        return ValueTask.CompletedTask;
    }

    public ValueTask CloseAsync(SessionFacts session, CancellationToken cancellationToken)
    {
        Asked.Add("close");
        return ValueTask.CompletedTask;
    }

    private ValueTask<PolicyDecision> Answer(string stage, PolicyDecision? decision)
    {
        Asked.Add(stage);
        return ValueTask.FromResult(decision ?? Accept);
    }
}
