using Postern.Core.Addressing;
using Postern.Core.Policy;
using Postern.Core.Stages;
using Postern.Server.Session;

namespace Postern.Server.Stages;

/// <summary>
/// Runs the ordered stage handlers at each SMTP stage and combines their decisions into the one
/// the session acts on: the first reject or tempfail wins and ends the stage; the first discard
/// wins and ends the stage too (the message is dropped whatever later handlers think); the first
/// quarantine is kept while the later handlers are asked (a later refusal still wins); otherwise
/// the first handler's acceptance stands. With one handler its answer is passed through as is,
/// so the pipeline costs nothing over calling it.
/// </summary>
internal sealed class StagePipeline
{
    private readonly IStageHandler[] _handlers;

    public StagePipeline(IReadOnlyList<IStageHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        if (handlers.Count == 0)
        {
            throw new ArgumentException("The pipeline needs at least one handler", nameof(handlers));
        }
        _handlers = [.. handlers];
        foreach (var handler in _handlers)
        {
            WantsContent |= handler.WantsContent;
            EditsMessage |= handler.EditsMessage;
        }
    }

    /// <summary>The policy engine first, then the services' other handlers for <paramref name="listener"/> in their order.</summary>
    public static StagePipeline For(SessionServices services, string listener) =>
        new([new PolicyStageHandler(services.Policy), .. services.HandlersFor(listener)]);

    /// <summary>
    /// The pipeline for one session: this one when no handler keeps per-session state (nothing is
    /// allocated), else a new one with each handler's session instance.
    /// </summary>
    public StagePipeline OpenSession()
    {
        IStageHandler[]? opened = null;
        for (var i = 0; i < _handlers.Length; i++)
        {
            var handler = _handlers[i].OpenSession();
            if (opened is null && !ReferenceEquals(handler, _handlers[i]))
            {
                opened = [.. _handlers];
            }
            if (opened is not null)
            {
                opened[i] = handler;
            }
        }
        return opened is null ? this : new StagePipeline(opened);
    }

    /// <summary>Some handler wants the header block and body chunks.</summary>
    public bool WantsContent { get; }

    /// <summary>Some handler may edit the message at end of data: the session holds the message until then.</summary>
    public bool EditsMessage { get; }

    public ValueTask<PolicyDecision> ConnectAsync(SessionFacts session, CancellationToken cancellationToken) =>
        _handlers.Length == 1 ? _handlers[0].ConnectAsync(session, cancellationToken) : AllConnectAsync(session, cancellationToken);

    public ValueTask<PolicyDecision> HeloAsync(SessionFacts session, string heloName, CancellationToken cancellationToken) =>
        _handlers.Length == 1 ? _handlers[0].HeloAsync(session, heloName, cancellationToken) : AllHeloAsync(session, heloName, cancellationToken);

    public ValueTask<PolicyDecision> CommandAsync(SessionFacts session, string verb, CommandNeeds needs, CancellationToken cancellationToken) =>
        _handlers.Length == 1
            ? _handlers[0].CommandAsync(session, verb, needs, cancellationToken)
            : AllCommandAsync(session, verb, needs, cancellationToken);

    public ValueTask<PolicyDecision> MailAsync(SessionFacts session, Mailbox? sender, CancellationToken cancellationToken) =>
        MailAsync(session, sender, [], cancellationToken);

    public ValueTask<PolicyDecision> MailAsync(SessionFacts session, Mailbox? sender, IReadOnlyList<string> parameters, CancellationToken cancellationToken) =>
        _handlers.Length == 1
            ? _handlers[0].MailAsync(session, sender, parameters, cancellationToken)
            : AllMailAsync(session, sender, parameters, cancellationToken);

    public ValueTask<PolicyDecision> RecipientAsync(SessionFacts session, Mailbox? sender, Mailbox recipient, CancellationToken cancellationToken) =>
        RecipientAsync(session, sender, recipient, [], cancellationToken);

    public ValueTask<PolicyDecision> RecipientAsync(
        SessionFacts session, Mailbox? sender, Mailbox recipient, IReadOnlyList<string> parameters, CancellationToken cancellationToken) =>
        _handlers.Length == 1
            ? _handlers[0].RecipientAsync(session, sender, recipient, parameters, cancellationToken)
            : AllRecipientAsync(session, sender, recipient, parameters, cancellationToken);

    public ValueTask<PolicyDecision> DataAsync(SessionFacts session, CancellationToken cancellationToken) =>
        _handlers.Length == 1 ? _handlers[0].DataAsync(session, cancellationToken) : AllDataAsync(session, cancellationToken);

    public ValueTask<PolicyDecision> HeadersAsync(SessionFacts session, ReadOnlyMemory<byte> headerBlock, CancellationToken cancellationToken) =>
        _handlers.Length == 1 ? _handlers[0].HeadersAsync(session, headerBlock, cancellationToken) : AllHeadersAsync(session, headerBlock, cancellationToken);

    public ValueTask<PolicyDecision> BodyChunkAsync(SessionFacts session, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken) =>
        _handlers.Length == 1 ? _handlers[0].BodyChunkAsync(session, chunk, cancellationToken) : AllBodyChunksAsync(session, chunk, cancellationToken);

    public ValueTask<PolicyDecision> EndOfDataAsync(SessionFacts session, MessageDraft draft, CancellationToken cancellationToken) =>
        _handlers.Length == 1 ? _handlers[0].EndOfDataAsync(session, draft, cancellationToken) : AllEndOfDataAsync(session, draft, cancellationToken);

    private async ValueTask<PolicyDecision> AllConnectAsync(SessionFacts session, CancellationToken cancellationToken)
    {
        var combined = new DecisionCombiner();
        for (var i = 0; i < _handlers.Length && !combined.Add(await _handlers[i].ConnectAsync(session, cancellationToken)); i++)
        {
        }
        return combined.Result;
    }

    private async ValueTask<PolicyDecision> AllHeloAsync(SessionFacts session, string heloName, CancellationToken cancellationToken)
    {
        var combined = new DecisionCombiner();
        for (var i = 0; i < _handlers.Length && !combined.Add(await _handlers[i].HeloAsync(session, heloName, cancellationToken)); i++)
        {
        }
        return combined.Result;
    }

    private async ValueTask<PolicyDecision> AllCommandAsync(SessionFacts session, string verb, CommandNeeds needs, CancellationToken cancellationToken)
    {
        var combined = new DecisionCombiner();
        for (var i = 0; i < _handlers.Length && !combined.Add(await _handlers[i].CommandAsync(session, verb, needs, cancellationToken)); i++)
        {
        }
        return combined.Result;
    }

    private async ValueTask<PolicyDecision> AllMailAsync(SessionFacts session, Mailbox? sender, IReadOnlyList<string> parameters, CancellationToken cancellationToken)
    {
        var combined = new DecisionCombiner();
        for (var i = 0; i < _handlers.Length && !combined.Add(await _handlers[i].MailAsync(session, sender, parameters, cancellationToken)); i++)
        {
        }
        return combined.Result;
    }

    private async ValueTask<PolicyDecision> AllRecipientAsync(
        SessionFacts session, Mailbox? sender, Mailbox recipient, IReadOnlyList<string> parameters, CancellationToken cancellationToken)
    {
        var combined = new DecisionCombiner();
        for (var i = 0; i < _handlers.Length && !combined.Add(await _handlers[i].RecipientAsync(session, sender, recipient, parameters, cancellationToken)); i++)
        {
        }
        return combined.Result;
    }

    private async ValueTask<PolicyDecision> AllDataAsync(SessionFacts session, CancellationToken cancellationToken)
    {
        var combined = new DecisionCombiner();
        for (var i = 0; i < _handlers.Length && !combined.Add(await _handlers[i].DataAsync(session, cancellationToken)); i++)
        {
        }
        return combined.Result;
    }

    private async ValueTask<PolicyDecision> AllHeadersAsync(SessionFacts session, ReadOnlyMemory<byte> headerBlock, CancellationToken cancellationToken)
    {
        var combined = new DecisionCombiner();
        for (var i = 0; i < _handlers.Length; i++)
        {
            if (_handlers[i].WantsContent && combined.Add(await _handlers[i].HeadersAsync(session, headerBlock, cancellationToken)))
            {
                break;
            }
        }
        return combined.Result;
    }

    private async ValueTask<PolicyDecision> AllBodyChunksAsync(SessionFacts session, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        var combined = new DecisionCombiner();
        for (var i = 0; i < _handlers.Length; i++)
        {
            if (_handlers[i].WantsContent && combined.Add(await _handlers[i].BodyChunkAsync(session, chunk, cancellationToken)))
            {
                break;
            }
        }
        return combined.Result;
    }

    /// <summary>Each handler sees the draft as the ones before it left it.</summary>
    private async ValueTask<PolicyDecision> AllEndOfDataAsync(SessionFacts session, MessageDraft draft, CancellationToken cancellationToken)
    {
        var combined = new DecisionCombiner();
        for (var i = 0; i < _handlers.Length && !combined.Add(await _handlers[i].EndOfDataAsync(session, draft, cancellationToken)); i++)
        {
        }
        return combined.Result;
    }

    /// <summary>The transaction ended before its end of data completed: every handler is told (see <see cref="IStageHandler.AbortAsync"/>).</summary>
    public async ValueTask AbortAsync(SessionFacts session, CancellationToken cancellationToken)
    {
        foreach (var handler in _handlers)
        {
            await handler.AbortAsync(session, cancellationToken);
        }
    }

    /// <summary>The session is over: every handler is told, in order.</summary>
    public async ValueTask CloseAsync(SessionFacts session, CancellationToken cancellationToken)
    {
        foreach (var handler in _handlers)
        {
            await handler.CloseAsync(session, cancellationToken);
        }
    }
}
