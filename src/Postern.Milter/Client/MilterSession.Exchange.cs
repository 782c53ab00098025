using Postern.Core.Milters;
using Postern.Milter.Logging;
using Postern.Milter.Protocol;

namespace Postern.Milter.Client;

/// <summary>Sending one command with its macros and waiting for its answer, within the command timeout.</summary>
internal sealed partial class MilterSession
{
    /// <summary>At most this many replies to one command (progress, quarantine, modifications): a milter that never ends its answer breaks the protocol.</summary>
    private const int MaxRepliesPerCommand = 10_000;

    /// <summary>
    /// Sends the macros for <paramref name="macroStage"/> (even when the milter skips the step, as
    /// Postfix does: libmilter keeps them for later steps), then the command unless the milter
    /// asked to skip it (<paramref name="skip"/>), and reads the final answer unless it asked for
    /// no reply (<paramref name="noReply"/>). Null: no answer to wait for.
    /// </summary>
    private async ValueTask<MilterReply?> ExchangeAsync(
        MilterMacroStage? macroStage, MilterMacroContext context, byte[] command, MilterProtocolFlags skip, MilterProtocolFlags noReply, CancellationToken cancellationToken)
    {
        using var deadline = new MilterDeadline(definition.CommandTimeout, environment.Clock, cancellationToken);
        try
        {
            var connection = _connection!;
            if (macroStage is { } stage)
            {
                await SendMacrosAsync(stage, context, deadline.Token);
            }
            if (_negotiation!.Skips(skip))
            {
                await connection.FlushAsync(deadline.Token);
                return null;
            }
            await connection.WriteAsync(command, deadline.Token);
            await connection.FlushAsync(deadline.Token);
            if (noReply != MilterProtocolFlags.None && _negotiation.Skips(noReply))
            {
                return null;
            }
            return await ReadFinalAsync(deadline, null);
        }
        catch (OperationCanceledException) when (deadline.HasExpired && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(deadline.Describe());
        }
    }

    /// <summary>Sends a command that has no answer (ABORT, QUIT), bounded by the command timeout.</summary>
    private async ValueTask SendOnlyAsync(MilterCommandCode code, CancellationToken cancellationToken)
    {
        using var deadline = new MilterDeadline(definition.CommandTimeout, environment.Clock, cancellationToken);
        try
        {
            await _connection!.WriteAsync(MilterCommandWriter.Bare(code), deadline.Token);
            await _connection.FlushAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.HasExpired && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("could not send within " + definition.CommandTimeout.TotalSeconds + "s");
        }
    }

    private async ValueTask SendMacrosAsync(MilterMacroStage stage, MilterMacroContext context, CancellationToken cancellationToken)
    {
        var macros = MilterMacros.For(MacroNames(stage), context);
        if (macros.Count > 0)
        {
            await _connection!.WriteAsync(MilterCommandWriter.Macro(CommandOf(stage), macros), cancellationToken);
        }
    }

    /// <summary>The milter's own list for the step (from the negotiation), else the configured one, else sendmail's default.</summary>
    private IReadOnlyList<string> MacroNames(MilterMacroStage stage) =>
        _negotiation!.MacroLists.TryGetValue(stage, out var asked) ? asked
        : definition.Macros.TryGetValue(stage, out var configured) ? [.. configured.Select(MilterMacroNames.Canonical)]
        : MilterMacroDefaults.For(stage);

    private static MilterCommandCode CommandOf(MilterMacroStage stage) => stage switch
    {
        MilterMacroStage.Connect => MilterCommandCode.Connect,
        MilterMacroStage.Helo => MilterCommandCode.Helo,
        MilterMacroStage.Mail => MilterCommandCode.Mail,
        MilterMacroStage.Recipient => MilterCommandCode.Recipient,
        MilterMacroStage.Data => MilterCommandCode.Data,
        MilterMacroStage.EndOfHeaders => MilterCommandCode.EndOfHeaders,
        _ => MilterCommandCode.EndOfBody,
    };

    /// <summary>
    /// Reads up to the final answer: SMFIR_PROGRESS restarts the timeout, SMFIR_QUARANTINE is kept
    /// for the decision, modification actions go to <paramref name="edits"/> (end of message
    /// only; anywhere else they break the protocol).
    /// </summary>
    private async ValueTask<MilterReply> ReadFinalAsync(MilterDeadline deadline, MilterEdits? edits)
    {
        for (var count = 0; count < MaxRepliesPerCommand; count++)
        {
            var reply = await _connection!.ReadAsync(deadline.Token);
            switch (reply.Code)
            {
                case MilterReplyCode.Progress:
                    deadline.Restart();
                    continue;
                case MilterReplyCode.Quarantine:
                    NoteQuarantine(reply.Text);
                    continue;
                case MilterReplyCode.SetSymbolList or MilterReplyCode.OptionNegotiation:
                    throw new MilterProtocolException($"reply '{(char)reply.Code}' after the negotiation");
                case var code when MilterEdits.IsAction(code):
                    if (edits is null)
                    {
                        throw new MilterProtocolException($"modification '{(char)code}' before the end of the message");
                    }
                    await edits.ApplyAsync(reply, deadline.Token);
                    continue;
                default:
                    return reply;
            }
        }
        throw new MilterProtocolException($"more than {MaxRepliesPerCommand} replies to one command");
    }

    private void NoteQuarantine(string reason)
    {
        if (_negotiation is { } negotiation && !negotiation.Allows(MilterActions.Quarantine))
        {
            throw new MilterProtocolException("quarantine without negotiating it");
        }
        _pendingQuarantine ??= reason;
        if (_transaction is { } transaction)
        {
            transaction.Quarantine ??= reason;
        }
        Count(_stage, "quarantine");
        Log.Verdict(definition.Name, _stage, Relay, "quarantine", reason);
    }
}
