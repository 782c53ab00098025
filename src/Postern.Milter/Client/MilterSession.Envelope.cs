using System.Net.Sockets;
using Postern.Core.Addressing;
using Postern.Core.Milters;
using Postern.Core.Policy;
using Postern.Milter.Protocol;

namespace Postern.Milter.Client;

/// <summary>The connection-level and envelope stages: connect, HELO, MAIL, RCPT, DATA, abort and the end of the session.</summary>
internal sealed partial class MilterSession
{
    public ValueTask<PolicyDecision> ConnectAsync(SessionFacts session, CancellationToken cancellationToken)
    {
        _session = session;
        return RunAsync(MilterStage.Connect, token => ConnectStepAsync(session, token), cancellationToken);
    }

    private async ValueTask<PolicyDecision> ConnectStepAsync(SessionFacts session, CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken);
        var reply = await ExchangeAsync(
            MilterMacroStage.Connect, Context(session), ConnectCommand(session), MilterProtocolFlags.NoConnect, MilterProtocolFlags.NoReplyConnect, cancellationToken);
        return Decide(reply, MilterStage.Connect);
    }

    public ValueTask<PolicyDecision> HeloAsync(SessionFacts session, string heloName, CancellationToken cancellationToken)
    {
        _session = session;
        return RunAsync(MilterStage.Helo, async token =>
        {
            // A new HELO ends a transaction; the milter hears of it first, as from Postfix.
            await EndTransactionAsync(token);
            var reply = await ExchangeAsync(
                MilterMacroStage.Helo, Context(session), MilterCommandWriter.Helo(heloName), MilterProtocolFlags.NoHelo, MilterProtocolFlags.NoReplyHelo, token);
            return Decide(reply, MilterStage.Helo);
        }, cancellationToken);
    }

    public ValueTask<PolicyDecision> MailAsync(SessionFacts session, Mailbox? sender, IReadOnlyList<string> parameters, CancellationToken cancellationToken)
    {
        _session = session;
        return RunAsync(MilterStage.Mail, async token =>
        {
            await EndTransactionAsync(token);
            _transaction = new MilterTransaction(sender, parameters);
            return await SendMailAsync(session, sender, parameters, token);
        }, cancellationToken);
    }

    public ValueTask<PolicyDecision> RecipientAsync(
        SessionFacts session, Mailbox? sender, Mailbox recipient, IReadOnlyList<string> parameters, CancellationToken cancellationToken)
    {
        _session = session;
        return RunAsync(MilterStage.Recipient, token =>
            _transaction is null or { Accepted: true } ? ValueTask.FromResult(Accepted()) : SendRecipientAsync(session, recipient, parameters, token),
            cancellationToken);
    }

    public ValueTask<PolicyDecision> DataAsync(SessionFacts session, CancellationToken cancellationToken)
    {
        _session = session;
        return RunAsync(MilterStage.Data, token =>
            _transaction is null or { Accepted: true } ? ValueTask.FromResult(Accepted()) : SendDataAsync(session, token),
            cancellationToken);
    }

    /// <summary>The transaction ended before its end of message: SMFIC_ABORT, unless the milter has nothing open.</summary>
    public async ValueTask AbortAsync(SessionFacts session, CancellationToken cancellationToken)
    {
        if (_transaction is null || _connection is null)
        {
            _transaction?.RemoveReplacement();
            _transaction = null;
            return;
        }
        await RunAsync("abort", async token =>
        {
            await EndTransactionAsync(token);
            return Accepted();
        }, cancellationToken);
        _transaction?.RemoveReplacement();
        _transaction = null;
    }

    /// <summary>The session is over: SMFIC_QUIT and the socket closed. Never throws: the session is ending anyway.</summary>
    public async ValueTask CloseAsync(SessionFacts session, CancellationToken cancellationToken)
    {
        _transaction?.RemoveReplacement();
        _transaction = null;
        if (_connection is null)
        {
            return;
        }
        try
        {
            await SendOnlyAsync(MilterCommandCode.Quit, cancellationToken);
        }
        catch (Exception e) when (IsBreak(e))
        {
            // Quitting a milter that is gone: nothing to tell anyone.
        }
        await DropConnectionAsync();
    }

    /// <summary>An open transaction is aborted at the milter; a finished one only forgotten. Its replacement body, if any, is removed.</summary>
    private async ValueTask EndTransactionAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not { } transaction)
        {
            return;
        }
        _transaction = null;
        transaction.RemoveReplacement();
        if (!transaction.Completed && _connection is not null)
        {
            await SendOnlyAsync(MilterCommandCode.Abort, cancellationToken);
        }
    }

    /// <summary>Connects and negotiates, both within the connect timeout.</summary>
    private async ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        using var deadline = new MilterDeadline(definition.ConnectTimeout, environment.Clock, cancellationToken);
        try
        {
            var connection = await MilterConnection.OpenAsync(definition.Socket, deadline.Token);
            _connection = connection;
            await connection.WriteAsync(
                MilterCommandWriter.OptionNegotiation(MilterNegotiation.ProtocolVersion, MilterNegotiation.OfferedActions, MilterNegotiation.OfferedProtocol),
                deadline.Token);
            await connection.FlushAsync(deadline.Token);
            var reply = await connection.ReadAsync(deadline.Token);
            if (reply.Negotiation is not { } negotiation)
            {
                throw new MilterProtocolException($"reply '{(char)reply.Code}' to the option negotiation");
            }
            _negotiation = MilterNegotiation.From(negotiation);
        }
        catch (OperationCanceledException) when (deadline.HasExpired && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException((_connection is null ? "no connection" : "no negotiation") + " within " + definition.ConnectTimeout.TotalSeconds + "s");
        }
    }

    private async ValueTask<PolicyDecision> SendMailAsync(SessionFacts session, Mailbox? sender, IReadOnlyList<string> parameters, CancellationToken cancellationToken)
    {
        var reply = await ExchangeAsync(
            MilterMacroStage.Mail,
            Context(session) with { HasMail = true, Sender = sender, MailParameters = parameters },
            MilterCommandWriter.Mail([ReversePath.Format(sender), .. parameters]),
            MilterProtocolFlags.NoMail,
            MilterProtocolFlags.NoReplyMail,
            cancellationToken);
        return Decide(reply, MilterStage.Mail);
    }

    private async ValueTask<PolicyDecision> SendRecipientAsync(SessionFacts session, Mailbox recipient, IReadOnlyList<string> parameters, CancellationToken cancellationToken)
    {
        var transaction = _transaction!;
        var reply = await ExchangeAsync(
            MilterMacroStage.Recipient,
            Context(session) with { HasMail = true, Sender = transaction.Sender, MailParameters = transaction.MailParameters, Recipient = recipient },
            MilterCommandWriter.Recipient(["<" + recipient + ">", .. parameters]),
            MilterProtocolFlags.NoRecipient,
            MilterProtocolFlags.NoReplyRecipient,
            cancellationToken);
        return Decide(reply, MilterStage.Recipient);
    }

    private async ValueTask<PolicyDecision> SendDataAsync(SessionFacts session, CancellationToken cancellationToken)
    {
        var transaction = _transaction!;
        var reply = await ExchangeAsync(
            MilterMacroStage.Data,
            Context(session) with { HasMail = true, Sender = transaction.Sender, MailParameters = transaction.MailParameters },
            MilterCommandWriter.Bare(MilterCommandCode.Data),
            MilterProtocolFlags.NoData,
            MilterProtocolFlags.NoReplyData,
            cancellationToken);
        return Decide(reply, MilterStage.Data);
    }

    private MilterMacroContext Context(SessionFacts session) => new(session, environment.HostName);

    /// <summary>SMFIC_CONNECT as Postfix sends it: the client's name (its address literal: Postern does not look names up), family, port, address.</summary>
    private static byte[] ConnectCommand(SessionFacts session)
    {
        var address = session.Remote.Address;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        var family = address.AddressFamily == AddressFamily.InterNetworkV6 ? '6' : '4';
        return MilterCommandWriter.Connect("[" + address + "]", family, session.Remote.Port, address.ToString());
    }
}
