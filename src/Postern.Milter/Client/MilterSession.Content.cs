using Postern.Core.Milters;
using Postern.Core.Policy;
using Postern.Core.Stages;
using Postern.Milter.Logging;
using Postern.Milter.Protocol;

namespace Postern.Milter.Client;

/// <summary>
/// The message: the header block and the body chunks as they stream in, then the end of message
/// with the milter's modifications applied to the draft. When an earlier handler changed the
/// headers or the body, the milter is told to forget what it was streamed (SMFIC_ABORT) and is
/// sent the transaction again from the draft, so it judges the message as it now stands, as each
/// sendmail milter sees the previous ones' changes.
/// </summary>
internal sealed partial class MilterSession
{
    private const int BodyReadSize = 64 * 1024;

    public ValueTask<PolicyDecision> HeadersAsync(SessionFacts session, ReadOnlyMemory<byte> headerBlock, CancellationToken cancellationToken) =>
        RunAsync(MilterStage.Header, token =>
        {
            if (_transaction is not { Accepted: false } transaction)
            {
                return ValueTask.FromResult(Accepted());
            }
            var fields = HeaderBlock.Parse(headerBlock);
            transaction.StreamedHeaders = fields;
            return SendHeadersAsync(session, fields, token);
        }, cancellationToken);

    public ValueTask<PolicyDecision> BodyChunkAsync(SessionFacts session, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken) =>
        RunAsync(MilterStage.Body, token =>
            _transaction is not { Accepted: false, SkipBody: false } ? ValueTask.FromResult(Accepted()) : SendBodyAsync(chunk, token),
            cancellationToken);

    public ValueTask<PolicyDecision> EndOfDataAsync(SessionFacts session, MessageDraft draft, CancellationToken cancellationToken) =>
        RunAsync(MilterStage.EndOfMessage, async token =>
        {
            if (_transaction is not { Accepted: false } transaction)
            {
                return Accepted();
            }
            if (!transaction.Completed && ChangedSinceStreamed(transaction, draft))
            {
                var replayed = await ReplayAsync(session, draft, token);
                if (!replayed.IsAccepted || replayed.Verdict == PolicyVerdict.Discard || _transaction is not { Accepted: false })
                {
                    return replayed;
                }
            }
            return await EndOfMessageAsync(session, draft, _transaction!, token);
        }, cancellationToken);

    private async ValueTask<PolicyDecision> SendHeadersAsync(SessionFacts session, IReadOnlyList<HeaderField> fields, CancellationToken cancellationToken)
    {
        var negotiation = _negotiation!;
        if (!negotiation.Skips(MilterProtocolFlags.NoHeaders))
        {
            var leadingSpace = negotiation.Skips(MilterProtocolFlags.HeaderLeadingSpace);
            foreach (var field in fields)
            {
                var (name, value) = MilterHeaderBytes.Split(field, leadingSpace);
                var reply = await ExchangeAsync(null, Context(session), MilterCommandWriter.Header(name, value), MilterProtocolFlags.None, MilterProtocolFlags.NoReplyHeader, cancellationToken);
                if (Decide(reply, MilterStage.Header) is var decision && (!decision.IsAccepted || decision.Verdict == PolicyVerdict.Discard))
                {
                    return decision;
                }
            }
        }
        var transaction = _transaction!;
        var end = await ExchangeAsync(
            MilterMacroStage.EndOfHeaders,
            Context(session) with { HasMail = true, Sender = transaction.Sender, MailParameters = transaction.MailParameters },
            MilterCommandWriter.Bare(MilterCommandCode.EndOfHeaders),
            MilterProtocolFlags.NoEndOfHeaders,
            MilterProtocolFlags.NoReplyEndOfHeaders,
            cancellationToken);
        return Decide(end, MilterStage.EndOfHeaders);
    }

    /// <summary>Body bytes in SMFIC_BODY commands of at most 65,535 bytes; SMFIR_SKIP stops them.</summary>
    private async ValueTask<PolicyDecision> SendBodyAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        if (_negotiation!.Skips(MilterProtocolFlags.NoBody))
        {
            return Accepted();
        }
        var context = Context(_session!);
        for (var offset = 0; offset < chunk.Length; offset += MilterCommandWriter.MaxBodyChunk)
        {
            var piece = chunk.Slice(offset, Math.Min(MilterCommandWriter.MaxBodyChunk, chunk.Length - offset));
            var reply = await ExchangeAsync(null, context, MilterCommandWriter.Body(piece.Span), MilterProtocolFlags.NoBody, MilterProtocolFlags.NoReplyBody, cancellationToken);
            if (reply?.Code == MilterReplyCode.Skip)
            {
                _transaction!.SkipBody = true;
                return Decide(reply, MilterStage.Body);
            }
            if (Decide(reply, MilterStage.Body) is var decision && (!decision.IsAccepted || decision.Verdict != PolicyVerdict.Accept || _transaction is not { Accepted: false }))
            {
                return decision;
            }
        }
        return Accepted();
    }

    /// <summary>SMFIC_BODYEOB with its macros, within the end-of-message timeout; the modifications land in the draft as they arrive.</summary>
    private async ValueTask<PolicyDecision> EndOfMessageAsync(SessionFacts session, MessageDraft draft, MilterTransaction transaction, CancellationToken cancellationToken)
    {
        var edits = new MilterEdits(_negotiation!, draft, transaction, environment.TemporaryDirectory);
        using var deadline = new MilterDeadline(definition.EndOfMessageTimeout, environment.Clock, cancellationToken);
        MilterReply final;
        try
        {
            var context = Context(session) with { HasMail = true, Sender = transaction.Sender, MailParameters = transaction.MailParameters, MessageId = MessageId(draft) };
            await SendMacrosAsync(MilterMacroStage.EndOfMessage, context, deadline.Token);
            await _connection!.WriteAsync(MilterCommandWriter.Bare(MilterCommandCode.EndOfBody), deadline.Token);
            await _connection.FlushAsync(deadline.Token);
            final = await ReadFinalAsync(deadline, edits);
            transaction.Completed = true;
            await edits.FinishBodyAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.HasExpired && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(deadline.Describe() + " to the end of the message");
        }
        if (edits.Actions.Count > 0)
        {
            Log.Edited(definition.Name, Relay, edits.Description);
            foreach (var action in edits.Actions)
            {
                environment.Metrics?.Edit(definition.Name, action);
            }
        }
        var decision = Decide(final, MilterStage.EndOfMessage);
        if (decision.IsAccepted && decision.Verdict != PolicyVerdict.Discard && draft.Envelope.Recipients.Count == 0)
        {
            // Every recipient deleted: nothing to deliver, so the message is dropped, as sendmail does.
            Log.Verdict(definition.Name, MilterStage.EndOfMessage, Relay, "discard", "every recipient deleted");
            return PolicyDecision.Discard(RuleName + ": every recipient deleted");
        }
        return decision;
    }

    /// <summary>
    /// The transaction again from the draft, for a milter whose streamed view is out of date:
    /// ABORT, MAIL, each RCPT, DATA, the header fields and the body as they now stand. A refusal
    /// on the way is the end-of-data decision.
    /// </summary>
    private async ValueTask<PolicyDecision> ReplayAsync(SessionFacts session, MessageDraft draft, CancellationToken cancellationToken)
    {
        var old = _transaction!;
        await SendOnlyAsync(MilterCommandCode.Abort, cancellationToken);
        old.RemoveReplacement();
        var transaction = new MilterTransaction(draft.Envelope.Sender, old.MailParameters);
        _transaction = transaction;
        var decision = await SendMailAsync(session, transaction.Sender, transaction.MailParameters, cancellationToken);
        for (var i = 0; i < draft.Envelope.Recipients.Count && Continues(decision); i++)
        {
            decision = await SendRecipientAsync(session, draft.Envelope.Recipients[i].Address, [], cancellationToken);
        }
        if (Continues(decision))
        {
            decision = await SendDataAsync(session, cancellationToken);
        }
        if (Continues(decision))
        {
            transaction.StreamedHeaders = [.. draft.Headers];
            decision = await SendHeadersAsync(session, draft.Headers, cancellationToken);
        }
        if (Continues(decision))
        {
            decision = await ReplayBodyAsync(draft, cancellationToken);
        }
        return decision;
    }

    private bool Continues(PolicyDecision decision) =>
        decision.IsAccepted && decision.Verdict != PolicyVerdict.Discard && _transaction is { Accepted: false };

    private async ValueTask<PolicyDecision> ReplayBodyAsync(MessageDraft draft, CancellationToken cancellationToken)
    {
        if (_negotiation!.Skips(MilterProtocolFlags.NoBody))
        {
            return Accepted();
        }
        var buffer = new byte[BodyReadSize];
        var body = draft.OpenBody();
        await using (body)
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0 && _transaction is { SkipBody: false })
            {
                var decision = await SendBodyAsync(buffer.AsMemory(0, read), cancellationToken);
                if (!Continues(decision) || decision.Verdict != PolicyVerdict.Accept)
                {
                    return decision;
                }
            }
        }
        return Accepted();
    }

    /// <summary>An earlier handler changed the header fields or replaced the body since they were streamed to this milter.</summary>
    private static bool ChangedSinceStreamed(MilterTransaction transaction, MessageDraft draft)
    {
        if (draft.BodyReplaced)
        {
            return true;
        }
        var streamed = transaction.StreamedHeaders ?? [];
        if (streamed.Count != draft.Headers.Count)
        {
            return true;
        }
        for (var i = 0; i < streamed.Count; i++)
        {
            var (was, now) = (streamed[i], draft.Headers[i]);
            if (!string.Equals(was.Name, now.Name, StringComparison.Ordinal) || !string.Equals(was.Value, now.Value, StringComparison.Ordinal)
                || !was.Raw.Span.SequenceEqual(now.Raw.Span))
            {
                return true;
            }
        }
        return false;
    }

    private static string? MessageId(MessageDraft draft)
    {
        foreach (var field in draft.Headers)
        {
            if (field.Is("Message-ID"))
            {
                return field.Value.Trim();
            }
        }
        return null;
    }
}
