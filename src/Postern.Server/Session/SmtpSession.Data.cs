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
        if (await DataStageRefusalAsync(transaction, cancellationToken) is { } refusal)
        {
            await ResetTransactionAsync();
            return refusal;
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
            _deadline.StartData();
            var result = await DotDataReader.ReadAsync(_connection.Input, opened.Sink, Options.MaxMessageSize, DataToken);
            _deadline.StartEndOfData();
            return await FinishMessageAsync(envelope, writer, opened, result, result.BareLineEnds);
        }
    }

    internal async ValueTask<SmtpReply?> BdatAsync(SmtpCommand command, CancellationToken cancellationToken)
    {
        var parsed = BdatParser.ParseBdat(command.Argument);
        if (!parsed.IsSuccess)
        {
            // Without a size the chunk cannot be skipped: the dialogue is out of step for good.
            Log.BdatUnreadable(_relay, _listener.Name, parsed.Error!);
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
        if (!transaction.ChunkingStarted && await DataStageRefusalAsync(transaction, cancellationToken) is { } dataRefusal)
        {
            // As after any failed chunk: this one and the rest up to LAST are read and dropped.
            transaction.ChunkingStarted = true;
            await SkipChunkAsync(bdat.Size);
            return await FailChunkAsync(transaction, bdat, dataRefusal);
        }
        transaction.ChunkingStarted = true;
        transaction.ChunkWriter ??= await OpenChunkWriterAsync(transaction, cancellationToken);
        if (transaction.ChunkWriter is not { } writer)
        {
            return await FailChunkAsync(transaction, bdat, transaction.ChunkFailure!);
        }
        _deadline.StartData();
        var opened = transaction.ChunkMessage!;
        var result = await BdatReader.ReadChunkAsync(
            _connection.Input, bdat.Size, opened.Sink, Options.MaxMessageSize - transaction.ChunkBytes, transaction.ChunkLineEnds, DataToken);
        if (result.EndOfStream)
        {
            throw new IOException("connection closed inside a BDAT chunk");
        }
        _deadline.StartEndOfData();
        transaction.ChunkBytes += result.BytesWritten;
        if (result.TooLarge || result.WriteError is not null)
        {
            return await FailChunkAsync(transaction, bdat, result.TooLarge ? MessageTooBig(writer.Id, transaction.Sender) : WriteFailed(writer.Id, result.WriteError!));
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
            return await FinishMessageAsync(BuildEnvelope(transaction), writer, opened, total, bare);
        }
    }

    /// <summary>The DATA stage (at DATA, or the first BDAT): a refusal is logged and becomes the command's reply; a verdict is noted.</summary>
    private async ValueTask<SmtpReply?> DataStageRefusalAsync(MailTransaction transaction, CancellationToken cancellationToken)
    {
        var decision = await Pipeline.DataAsync(_state.Facts, cancellationToken);
        var sender = ReversePath.Format(transaction.Sender);
        if (!decision.IsAccepted)
        {
            Reject("check_data_command", sender, decision);
            return decision.Reply!;
        }
        NoteVerdict(transaction, "check_data_command", sender, decision);
        return null;
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
        _deadline.StartData();
        var skipped = await BdatReader.ReadChunkAsync(_connection.Input, size, null, 0, new LineEndNormalizer(), DataToken);
        if (skipped.EndOfStream)
        {
            throw new IOException("connection closed inside a BDAT chunk");
        }
    }

    private async ValueTask<IMessageWriter?> OpenChunkWriterAsync(MailTransaction transaction, CancellationToken cancellationToken)
    {
        var opened = await OpenMessageAsync(BuildEnvelope(transaction), cancellationToken);
        transaction.ChunkFailure = opened.Failure;
        transaction.ChunkMessage = opened;
        return opened.Writer;
    }
}
