using Microsoft.Extensions.Logging;
using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Core.Stages;
using Postern.Protocol.Commands;
using Postern.Protocol.Data;
using Postern.Server.Logging;
using Postern.Server.Stages;

namespace Postern.Server.Session;

/// <summary>The message of a transaction: opening its spool file, the end-of-data stage, the commit and the mail log.</summary>
internal sealed partial class SmtpSession
{
    /// <summary>The id chosen at MAIL for this transaction's message (a session driven without MAIL, in tests, gets a new one).</summary>
    private QueueId TransactionQueueId => _state.Facts.QueueId ?? QueueId.New(_services.Clock);

    /// <summary>Starts the spool file and writes the Received header; a storage failure becomes 452.</summary>
    private async ValueTask<OpenedMessage> OpenMessageAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        if (_state.Transaction?.DiscardReason is not null)
        {
            // Discarded before DATA: nothing touches the spool.
            return new OpenedMessage(new DiscardingMessageWriter(QueueId.New(_services.Clock)), new MessageIdSniffer(Stream.Null), null);
        }
        IMessageWriter? writer = null;
        try
        {
            if (Pipeline.EditsMessage)
            {
                // Handlers may still edit it: the spool file is written after the end-of-data stage.
                writer = new HeldMessage(TransactionQueueId, _services.HeldMessageDirectory ?? Path.GetTempPath());
            }
            else
            {
                writer = await _services.Queue.BeginMessageAsync(envelope, TransactionQueueId, cancellationToken);
                await writer.Body.WriteAsync(ReceivedHeader.Build(envelope, writer.Id, Options.HostName, _state.Facts.Tls), cancellationToken);
            }
            var sniffer = new MessageIdSniffer(writer.Body);
            var feed = Pipeline.WantsContent || Pipeline.EditsMessage ? new ContentFeed(sniffer, Pipeline, _state.Facts) : null;
            return new OpenedMessage(writer, sniffer, null) { Feed = feed };
        }
        catch (IOException e)
        {
            var reply = WriteFailed(writer?.Id, e);
            if (writer is not null)
            {
                await writer.DisposeAsync();
            }
            return new OpenedMessage(null, null, reply);
        }
    }

    private async ValueTask<SmtpReply> FinishMessageAsync(
        Envelope envelope, IMessageWriter writer, OpenedMessage opened, DataReadResult result, BareLineEnds bare)
    {
        var sniffer = opened.Sniffer!;
        if (result.EndOfStream)
        {
            throw new IOException("connection closed inside DATA");
        }
        var (failure, rule) = DataFailure(writer.Id, envelope, result, bare);
        NoteDataMetrics(result, rule);
        var transaction = _state.Transaction!;
        MessageDraft? draft = null;
        if (failure is null)
        {
            draft = await DraftAsync(envelope, writer, opened.Feed);
            // A refusal from the header or body stage is the end-of-data reply; the end-of-data stage is not asked.
            failure = opened.Feed is { } feed ? NoteDataDecision(transaction, envelope, feed.Decision) : null;
        }
        if (failure is null)
        {
            failure = NoteDataDecision(transaction, envelope, await Pipeline.EndOfDataAsync(_state.Facts, draft!, DataToken));
            envelope = draft!.Envelope;
        }
        var discard = transaction.DiscardReason;
        var quarantine = transaction.QuarantineReason;
        if (failure is null && discard is null)
        {
            try
            {
                if (writer is HeldMessage held)
                {
                    await held.WriteSpoolFileAsync(_services.Queue, draft!, opened.Feed!.HadEmptyLine, Options.HostName, _state.Facts.Tls, CancellationToken.None);
                }
                else if (draft!.IsEdited)
                {
                    throw new InvalidOperationException("A stage handler edited a message without declaring EditsMessage");
                }
                // Not cancellable: once the bytes are in, finishing the commit is what loses nothing.
                await writer.CommitAsync(quarantine, CancellationToken.None);
            }
            catch (IOException e)
            {
                failure = WriteFailed(writer.Id, e);
            }
        }
        await ResetTransactionAsync();
        if (failure is not null)
        {
            return failure;
        }
        _state.MessageFinished();
        if (discard is not null)
        {
            // Not committed: disposing the writer removes whatever reached the spool. The reply is
            // the ordinary one, as sendmail's is, so the client cannot tell.
            LogDiscarded(envelope, writer.Id, sniffer, result.BytesWritten, discard);
            _services.Metrics?.Message(_listener.Name, "discarded");
        }
        else
        {
            LogAccepted(envelope, writer.Id, sniffer, result.BytesWritten);
            if (quarantine is not null)
            {
                Log.MessageQuarantined(writer.Id.Value, quarantine);
            }
            _services.Metrics?.Message(_listener.Name, quarantine is null ? "accepted" : "quarantined");
        }
        return Replies.Queued(writer.Id.Value);
    }

    /// <summary>An end-of-data decision (content or end-of-data stage): logs a refusal and returns its reply, or notes a verdict.</summary>
    private SmtpReply? NoteDataDecision(MailTransaction transaction, Envelope envelope, Core.Policy.PolicyDecision decision)
    {
        var sender = ReversePath.Format(envelope.Sender);
        if (!decision.IsAccepted)
        {
            Reject("check_data", sender, decision);
            return decision.Reply;
        }
        NoteVerdict(transaction, "check_data", sender, decision);
        return null;
    }

    /// <summary>
    /// The message as the end-of-data stage sees it. Header fields are there when a handler wanted
    /// the content or may edit; the received body is readable only while held for editing.
    /// </summary>
    private async ValueTask<MessageDraft> DraftAsync(Envelope envelope, IMessageWriter writer, ContentFeed? feed)
    {
        if (feed is null)
        {
            return new MessageDraft(envelope, [], NoBody);
        }
        await feed.CompleteAsync(DataToken);
        var headers = HeaderBlock.Parse(feed.HeaderBlock);
        if (writer is not HeldMessage held)
        {
            return new MessageDraft(envelope, headers, NoBody);
        }
        // The end-of-data handlers may read the received body: all of it must be in the file.
        await held.FlushReceivedAsync(DataToken);
        return HeldDraft(envelope, headers, held, feed.HeaderLength);
    }

    // Not in the async method: its closure would be allocated for every message, held or not.
    private static MessageDraft HeldDraft(Envelope envelope, List<HeaderField> headers, HeldMessage held, int headerLength) =>
        new(envelope, headers, () => held.OpenReceivedBody(headerLength));

    private static Stream NoBody() =>
        throw new InvalidOperationException("The received body is readable only by handlers that declare EditsMessage");

    /// <summary>Bytes received, and the end-of-data refusal (by its rule) that is not a policy decision.</summary>
    private void NoteDataMetrics(DataReadResult result, string? rule)
    {
        if (_services.Metrics is not { } metrics)
        {
            return;
        }
        metrics.MessageReceived(_listener.Name, result.BytesWritten);
        if (rule is not null)
        {
            metrics.RejectedBy("check_data", rule);
        }
    }

    private void LogDiscarded(Envelope envelope, QueueId id, MessageIdSniffer sniffer, long size, string reason)
    {
        if (!Log.IsEnabled(LogLevel.Information))
        {
            return;
        }
        Log.MessageDiscarded(
            id.Value,
            ReversePath.Format(envelope.Sender),
            size,
            envelope.Recipients.Count,
            sniffer.MessageId ?? "(none)",
            _listener.Name,
            (_state.Facts.HeloName ?? "") + " " + _relay,
            reason);
    }

    private void LogAccepted(Envelope envelope, QueueId id, MessageIdSniffer sniffer, long size)
    {
        if (!Log.IsEnabled(LogLevel.Information))
        {
            return;
        }
        Log.MessageAccepted(
            id.Value,
            ReversePath.Format(envelope.Sender),
            size,
            envelope.Recipients.Count,
            sniffer.MessageId ?? "(none)",
            envelope.Body == BodyType.EightBitMime ? "8BITMIME" : "7BIT",
            envelope.Client.Protocol,
            _listener.Name,
            (_state.Facts.HeloName ?? "") + " " + _relay);
    }

    private SmtpReply WriteFailed(QueueId? id, Exception error)
    {
        Log.QueueWriteFailed(id?.Value ?? "(new)", _relay, error.Message);
        return Replies.QueueWriteFailed;
    }

    private Envelope BuildEnvelope(MailTransaction transaction)
    {
        var mail = transaction.Mail;
        var receivedAt = _services.Clock.GetLocalNow();
        return new Envelope
        {
            Sender = mail.Sender,
            Recipients = [.. transaction.Recipients],
            Body = mail.Body ?? BodyType.SevenBit,
            SmtpUtf8 = mail.SmtpUtf8,
            Return = mail.Return,
            EnvelopeId = mail.EnvelopeId,
            AuthParameter = AuthParameterFor(mail.Auth),
            // RFC 2852: the by-time counts from when the message was received.
            DeliverBy = mail.DeliverBy is { } by ? new DeliverBy(receivedAt.AddSeconds(by.Seconds), by.Mode, by.Trace) : null,
            RequireTls = mail.RequireTls,
            Client = new ClientInfo(_state.Facts.Remote.Address, _state.Facts.HeloName, Protocol(mail), _listener.Name, _state.Facts.AuthenticatedUser),
            QuarantineReason = transaction.QuarantineReason,
            ReceivedAt = receivedAt,
        };
    }

    /// <summary>The RFC 3848 / RFC 6531 "with" keyword for this session.</summary>
    private string Protocol(MailFromCommand mail)
    {
        var prefix = mail.SmtpUtf8 ? "UTF8SMTP" : _state.Extended ? "ESMTP" : "SMTP";
        var suffix = (_state.Facts.IsTls ? "S" : "") + (_state.IsAuthenticated ? "A" : "");
        return prefix + suffix;
    }
}
