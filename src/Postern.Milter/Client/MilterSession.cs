using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Postern.Core.Milters;
using Postern.Core.Policy;
using Postern.Core.Stages;
using Postern.Milter.Logging;
using Postern.Milter.Protocol;

namespace Postern.Milter.Client;

/// <summary>
/// One SMTP session's dialogue with one milter: the connection is opened at the connect stage
/// and closed with the session; each stage is sent with its macros, and the milter's answers
/// become the stage's decision. A milter that fails (unreachable, silent past its timeout,
/// breaking the protocol, closing the socket) is logged once and dropped for the rest of the
/// session, whose later stages get the configured default action; the next session connects anew.
/// </summary>
internal sealed partial class MilterSession(MilterDefinition definition, MilterEnvironment environment) : IStageHandler
{
    private MilterConnection? _connection;
    private MilterNegotiation? _negotiation;
    private MilterTransaction? _transaction;
    private SessionFacts? _session;

    /// <summary>Why the milter failed (connect, timeout, protocol, closed); null while it works.</summary>
    private string? _failure;

    /// <summary>The milter answered ACCEPT at connect or HELO (or asked to shut down): it is sent nothing more.</summary>
    private bool _sessionDone;

    /// <summary>The stage being run, for the log.</summary>
    private string _stage = MilterStage.Connect;

    /// <summary>A SMFIR_QUARANTINE seen while waiting for the current stage's answer.</summary>
    private string? _pendingQuarantine;

    public string Name => "milter:" + definition.Name;

    public bool WantsContent => true;

    public bool EditsMessage => true;

    private string Relay => _session is null ? "(unknown)" : "[" + _session.Remote.Address + "]";

    private ILogger Log => environment.Logger;

    /// <summary>
    /// Runs one stage: skipped when the milter is done for the session, the failure decision when
    /// it failed; a failure now is logged and turns into the default action. The caller's own
    /// cancellation (the client gone, shutdown) drops the connection, whose state is then unknown.
    /// </summary>
    private async ValueTask<PolicyDecision> RunAsync(string stage, Func<CancellationToken, ValueTask<PolicyDecision>> step, CancellationToken cancellationToken)
    {
        if (_failure is not null)
        {
            return FailureDecision(stage);
        }
        if (_sessionDone)
        {
            return Accepted();
        }
        _stage = stage;
        try
        {
            if (_connection is null && stage != MilterStage.Connect && _session is { } session)
            {
                // A caller that skipped the connect stage (a submission without an SMTP client)
                // still gets the dialogue a milter expects: it begins with the connection.
                var connected = await ConnectStepAsync(session, cancellationToken);
                if (!connected.IsAccepted || _sessionDone)
                {
                    return connected;
                }
            }
            return await step(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await DropConnectionAsync();
            _failure = "cancelled";
            throw;
        }
        catch (Exception e) when (IsBreak(e))
        {
            await FailAsync(stage, e);
            return FailureDecision(stage);
        }
    }

    private static bool IsBreak(Exception e) =>
        e is IOException or SocketException or MilterProtocolException or TimeoutException or ObjectDisposedException or OperationCanceledException;

    /// <summary>One log line and one count; the connection is closed and not reused.</summary>
    private async ValueTask FailAsync(string stage, Exception e)
    {
        var kind = e switch
        {
            _ when _connection is null => "connect",
            TimeoutException => "timeout",
            MilterProtocolException => "protocol",
            _ => "closed",
        };
        var what = e switch
        {
            EndOfStreamException => "the milter closed the connection",
            MilterProtocolException => "protocol error: " + e.Message,
            _ when kind == "connect" => "cannot connect: " + e.Message,
            _ => e.Message,
        };
        _failure = kind;
        Log.Failed(definition.Name, definition.Socket.ToString(), stage, Relay, what, ActionWord(definition.DefaultAction));
        environment.Metrics?.Failure(definition.Name, kind);
        await DropConnectionAsync();
    }

    private async ValueTask DropConnectionAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }

    /// <summary>
    /// The default action after a failure. As sendmail does ("temp failing commands"), the
    /// connect and HELO stages still pass, so the client is greeted, and MAIL and what follows
    /// get the tempfail or the reject.
    /// </summary>
    private PolicyDecision FailureDecision(string stage)
    {
        if (definition.DefaultAction == MilterFailureAction.Accept || stage is MilterStage.Connect or MilterStage.Helo)
        {
            return Accepted();
        }
        var reason = "milter=" + definition.Name + ", " + (_failure ?? "failed") + ", default_action=" + ActionWord(definition.DefaultAction);
        return definition.DefaultAction == MilterFailureAction.Reject
            ? PolicyDecision.Reject(MilterReplies.Rejected, reason) with { Rule = RuleName }
            : PolicyDecision.TempFail(MilterReplies.TempFailed, reason) with { Rule = RuleName };
    }

    private string RuleName => "milter=" + definition.Name;

    private static string ActionWord(MilterFailureAction action) => action switch
    {
        MilterFailureAction.Accept => "accept",
        MilterFailureAction.Reject => "reject",
        _ => "tempfail",
    };

    /// <summary>No objection; a quarantine the milter asked for during the stage comes with it.</summary>
    private PolicyDecision Accepted()
    {
        if (_pendingQuarantine is { } reason)
        {
            _pendingQuarantine = null;
            return PolicyDecision.Quarantine("milter=" + definition.Name + ": " + reason);
        }
        return StageDecisions.Accepted.Result;
    }

    /// <summary>The milter's final answer to one stage as the stage's decision (null: no reply was expected).</summary>
    private PolicyDecision Decide(MilterReply? reply, string stage)
    {
        if (reply is null)
        {
            return Accepted();
        }
        var connectLevel = stage is MilterStage.Connect or MilterStage.Helo;
        switch (reply.Code)
        {
            case MilterReplyCode.Continue:
                Count(stage, "continue");
                return Accepted();
            case MilterReplyCode.Skip:
                Count(stage, "skip");
                return Accepted();
            case MilterReplyCode.Accept:
                Count(stage, "accept");
                if (connectLevel || _transaction is null)
                {
                    _sessionDone = true;
                }
                else
                {
                    _transaction.Accepted = true;
                }
                return Accepted();
            case MilterReplyCode.Discard when connectLevel:
                // Postfix and sendmail ignore a discard for the connection: there is no message yet.
                Count(stage, "discard");
                Log.Ignored(definition.Name, stage, Relay, "DISCARD is not allowed at connect or HELO");
                return Accepted();
            case MilterReplyCode.Discard:
                Count(stage, "discard");
                Log.Verdict(definition.Name, stage, Relay, "discard", "message discarded");
                if (_transaction is not null)
                {
                    _transaction.Accepted = true;
                }
                return PolicyDecision.Discard(RuleName);
            case MilterReplyCode.Reject:
                return Refuse(stage, "reject", MilterReplies.Rejected);
            case MilterReplyCode.TempFail:
                return Refuse(stage, "tempfail", MilterReplies.TempFailed);
            case MilterReplyCode.ReplyCode:
                return Refuse(stage, "replycode", MilterReplies.FromReplyCode(reply.Text));
            case MilterReplyCode.Shutdown or MilterReplyCode.ConnectionFailure:
                _sessionDone = true;
                return Refuse(stage, "shutdown", MilterReplies.ShutDown);
            default:
                throw new MilterProtocolException($"unexpected reply '{(char)reply.Code}' to {stage}");
        }
    }

    private PolicyDecision Refuse(string stage, string word, Core.Smtp.SmtpReply reply)
    {
        Count(stage, word);
        if (Log.IsEnabled(LogLevel.Information))
        {
            Log.Verdict(definition.Name, stage, Relay, reply.IsTransientFailure ? "tempfail" : "reject", reply.ToString());
        }
        _pendingQuarantine = null;
        var reason = "milter=" + definition.Name + ", " + word;
        return (reply.IsTransientFailure ? PolicyDecision.TempFail(reply, reason) : PolicyDecision.Reject(reply, reason)) with { Rule = RuleName };
    }

    private void Count(string stage, string reply) => environment.Metrics?.Reply(definition.Name, stage, reply);
}
