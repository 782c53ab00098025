using Microsoft.Extensions.Logging;
using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Protocol.Commands;
using Postern.Protocol.Data;
using Postern.Server.Logging;

namespace Postern.Server.Session;

internal sealed partial class SmtpSession
{
    internal async ValueTask<SmtpReply?> DataAsync(SmtpCommand command, CancellationToken cancellationToken)
    {
        if (command.Argument.Length > 0)
        {
            return Replies.NoArguments;
        }
        var transaction = _state.Transaction!;
        if (transaction.ChunkingStarted)
        {
            return Replies.DataAfterBdat;
        }
        var envelope = BuildEnvelope(transaction);
        var opened = await OpenMessageAsync(envelope, cancellationToken);
        if (opened.Writer is not { } writer)
        {
            await ResetTransactionAsync();
            return opened.Failure!;
        }
        await using (writer)
        {
            await _connection.SendAsync(Replies.StartMailInput, cancellationToken);
            _watchdog.Arm(Options.DataTimeout);
            var result = await DotDataReader.ReadAsync(_connection.Input, opened.Sniffer, Options.MaxMessageSize, _dataToken);
            return await FinishMessageAsync(envelope, writer, opened.Sniffer!, result, bareLineEnding: result.BareLineEnding);
        }
    }

    internal async ValueTask<SmtpReply?> BdatAsync(SmtpCommand command, CancellationToken cancellationToken)
    {
        var parsed = BdatParser.ParseBdat(command.Argument);
        if (!parsed.IsSuccess)
        {
            // Without a size the chunk cannot be skipped: the dialogue is out of step for good.
            _state.Close();
            return parsed.Error!;
        }
        var bdat = parsed.Value!;
        var refusal = _state.Phase switch
        {
            SessionPhase.Connected => Replies.NeedHelo,
            SessionPhase.Greeted => Replies.NeedMail,
            SessionPhase.Mail => Replies.NoValidRecipients,
            _ => _state.Transaction!.ChunkFailure,
        };
        if (refusal is not null)
        {
            await SkipChunkAsync(bdat.Size);
            if (bdat.Last && _state.Transaction is not null)
            {
                await ResetTransactionAsync();
            }
            return refusal;
        }
        var transaction = _state.Transaction!;
        transaction.ChunkingStarted = true;
        transaction.ChunkWriter ??= await OpenChunkWriterAsync(transaction, cancellationToken);
        if (transaction.ChunkWriter is not { } writer)
        {
            return await FailChunkAsync(transaction, bdat, transaction.ChunkFailure!);
        }
        _watchdog.Arm(Options.DataTimeout);
        var sniffer = transaction.ChunkSniffer!;
        var result = await BdatReader.ReadChunkAsync(
            _connection.Input, bdat.Size, sniffer, Options.MaxMessageSize - transaction.ChunkBytes, transaction.ChunkLineEnds, _dataToken);
        if (result.EndOfStream)
        {
            throw new IOException("connection closed inside a BDAT chunk");
        }
        transaction.ChunkBytes += result.BytesWritten;
        if (result.TooLarge || result.WriteError is not null)
        {
            return await FailChunkAsync(transaction, bdat, result.TooLarge ? Replies.MessageTooBig : WriteFailed(writer.Id, result.WriteError!));
        }
        if (!bdat.Last)
        {
            return Replies.ChunkReceived(bdat.Size);
        }
        transaction.ChunkWriter = null;
        await using (writer)
        {
            var bare = transaction.ChunkLineEnds.CompleteMessage();
            var total = result with { BytesWritten = transaction.ChunkBytes };
            return await FinishMessageAsync(BuildEnvelope(transaction), writer, sniffer, total, bare);
        }
    }

    private async ValueTask<SmtpReply> FailChunkAsync(MailTransaction transaction, BdatCommand bdat, SmtpReply failure)
    {
        if (transaction.ChunkWriter is { } writer)
        {
            transaction.ChunkWriter = null;
            await writer.DisposeAsync();
        }
        transaction.ChunkFailure = failure;
        if (bdat.Last)
        {
            await ResetTransactionAsync();
        }
        return failure;
    }

    private async ValueTask SkipChunkAsync(long size)
    {
        _watchdog.Arm(Options.DataTimeout);
        var skipped = await BdatReader.ReadChunkAsync(_connection.Input, size, null, 0, new LineEndingTracker(), _dataToken);
        if (skipped.EndOfStream)
        {
            throw new IOException("connection closed inside a BDAT chunk");
        }
    }

    private async ValueTask<IMessageWriter?> OpenChunkWriterAsync(MailTransaction transaction, CancellationToken cancellationToken)
    {
        var opened = await OpenMessageAsync(BuildEnvelope(transaction), cancellationToken);
        transaction.ChunkFailure = opened.Failure;
        transaction.ChunkSniffer = opened.Sniffer;
        return opened.Writer;
    }

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
            writer = await _services.Queue.BeginMessageAsync(envelope, cancellationToken);
            await writer.Body.WriteAsync(ReceivedHeader.Build(envelope, writer.Id, Options.HostName, _state.Facts.Tls), cancellationToken);
            return new OpenedMessage(writer, new MessageIdSniffer(writer.Body), null);
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
        Envelope envelope, IMessageWriter writer, MessageIdSniffer sniffer, DataReadResult result, bool bareLineEnding)
    {
        if (result.EndOfStream)
        {
            throw new IOException("connection closed inside DATA");
        }
        var failure = result switch
        {
            { TooLarge: true } => Replies.MessageTooBig,
            { WriteError: { } error } => WriteFailed(writer.Id, error),
            _ when bareLineEnding => Replies.BareLineEnding,
            _ => null,
        };
        NoteDataMetrics(result, failure, bareLineEnding);
        var transaction = _state.Transaction!;
        if (failure is null)
        {
            var decision = await _services.Policy.CheckDataAsync(_state.Facts, envelope, _dataToken);
            if (!decision.IsAccepted)
            {
                Reject("check_data", ReversePath.Format(envelope.Sender), decision);
                failure = decision.Reply;
            }
            NoteVerdict(transaction, "check_data", ReversePath.Format(envelope.Sender), decision);
        }
        var discard = transaction.DiscardReason;
        var quarantine = transaction.QuarantineReason;
        if (failure is null && discard is null)
        {
            try
            {
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

    /// <summary>Bytes received, and the end-of-data refusals that are not policy decisions.</summary>
    private void NoteDataMetrics(DataReadResult result, SmtpReply? failure, bool bareLineEnding)
    {
        if (_services.Metrics is not { } metrics)
        {
            return;
        }
        metrics.MessageReceived(_listener.Name, result.BytesWritten);
        if (failure is not null)
        {
            metrics.RejectedBy("check_data", result.TooLarge ? "message_size" : result.WriteError is not null ? "queue_write" : bareLineEnding ? "bare_line_ending" : "other");
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
