using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Postern.Core.Policy;
using Postern.Core.Smtp;
using Postern.Protocol.Commands;
using Postern.Server.Connections;
using Postern.Server.Logging;
using Postern.Server.Options;
using Postern.Server.Stages;

namespace Postern.Server.Session;

/// <summary>
/// One SMTP server session (RFC 5321): reads command lines, checks them against the command table
/// and answers. Expected outcomes are <see cref="SmtpReply"/> values; exceptions mean broken I/O.
/// </summary>
internal sealed partial class SmtpSession : IAsyncDisposable
{
    /// <summary>RFC 5321's 512 octets plus room for ESMTP parameters (DSN ORCPT, ENVID, AUTH=).</summary>
    public const int MaxCommandLength = 2048;

    /// <summary>How long a last reply (timeout, shutdown) may take to leave before the session ends regardless.</summary>
    private static readonly TimeSpan LastReplyWait = TimeSpan.FromSeconds(5);

    private static readonly string[] HttpVerbs = ["GET", "POST", "HEAD", "PUT", "CONNECT", "OPTIONS", "DELETE"];

    private readonly SessionServices _services;
    private readonly ListenerOptions _listener;
    private readonly SmtpConnection _connection;
    private readonly ClientDeadline _deadline;
    private readonly string _relay;
    private readonly SessionState _state;

    /// <summary>The server's abort, set when the run starts: it ends even a message being received.</summary>
    private CancellationToken _abort;

    /// <summary>Linked to the deadline and the abort, made when the session first waits for message data.</summary>
    private CancellationTokenSource? _dataWait;

    /// <summary>
    /// Deadline and abort, not shutdown: a message being received is finished on shutdown. Made on
    /// first use, so an idle session (most of thousands of open connections) holds no second linked source.
    /// </summary>
    private CancellationToken DataToken => (_dataWait ??= CancellationTokenSource.CreateLinkedTokenSource(_deadline.Token, _abort)).Token;

    /// <param name="services">What every session shares: options, policy, queue, clock, log.</param>
    /// <param name="listener">The listener the client connected to.</param>
    /// <param name="stream">The connection.</param>
    /// <param name="remote">The client's address.</param>
    /// <param name="local">The address the client connected to.</param>
    /// <param name="pipeline">The listener's stage pipeline, built once for all its sessions; null builds one from <paramref name="services"/>.</param>
    /// <param name="timeouts">The listener's timeouts, shortened under stress; null: the configured ones.</param>
    public SmtpSession(
        SessionServices services, ListenerOptions listener, Stream stream, IPEndPoint remote, IPEndPoint local, StagePipeline? pipeline = null, SessionTimeouts? timeouts = null)
    {
        _services = services;
        _listener = listener;
        _deadline = new ClientDeadline(timeouts ?? SessionTimeouts.Unstressed(services.Options), services.Clock);
        _connection = new SmtpConnection(new WatchedStream(stream, _deadline), MaxCommandLength, services.Clock);
        _state = new SessionState(new SessionFacts(remote, local, listener.Name, listener.Role)
        {
            ListenerRequiresTls = listener.RequireTls,
            ListenerRequiresAuth = listener.Auth == ListenerAuthMode.Require,
        });
        _relay = "[" + remote.Address + "]";
        Pipeline = (pipeline ?? StagePipeline.For(services, listener.Name)).OpenSession();
    }

    private SmtpServerOptions Options => _services.Options;

    /// <summary>The stage handlers for this session: the policy engine first, then the services' others.</summary>
    private StagePipeline Pipeline { get; }

    private ILogger Log => _services.Logger;

    /// <summary>
    /// Runs the dialogue to its end. <paramref name="shutdown"/> asks the session to close at the
    /// next command; <paramref name="abort"/> also interrupts a message being received.
    /// </summary>
    public async Task RunAsync(CancellationToken shutdown, CancellationToken abort)
    {
        using var commandWait = CancellationTokenSource.CreateLinkedTokenSource(_deadline.Token, shutdown, abort);
        _abort = abort;
        Log.Connected(_relay, _listener.Name);
        try
        {
            if (await ImplicitTlsAsync(commandWait.Token) && await GreetAsync(commandWait.Token))
            {
                await CommandLoopAsync(commandWait.Token, shutdown);
            }
            await _connection.FinishAsync(abort);
        }
        catch (OperationCanceledException) when (_deadline.HasExpired)
        {
            await TrySendAsync(Replies.Timeout);
            Log.SessionEnded("timeout", _relay, _listener.Name, _state.LastCommand);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested || abort.IsCancellationRequested)
        {
            await TrySendAsync(Replies.ShuttingDown);
        }
        catch (TlsHandshakeException e)
        {
            Log.TlsHandshakeFailed(_relay, _listener.Name, e.Message);
        }
        catch (IOException)
        {
            Log.SessionEnded("lost input channel", _relay, _listener.Name, _state.LastCommand);
        }
        finally
        {
            Log.Disconnected(_relay, _listener.Name, _state.Commands, _state.Errors, _state.Messages);
        }
    }

    private async ValueTask<bool> GreetAsync(CancellationToken cancellationToken)
    {
        var decision = await Pipeline.ConnectAsync(_state.Facts, cancellationToken);
        if (!decision.IsAccepted)
        {
            decision = decision with { Reply = decision.Reply!.AsGreetingRefusal() };
            Reject("check_relay", _relay, decision);
            await _connection.SendAsync(decision.Reply!, cancellationToken);
            return false;
        }
        NoteSessionVerdict("check_relay", _relay, decision);
        if (await TalkedBeforeGreetingAsync(cancellationToken))
        {
            return false;
        }
        await _connection.SendAsync(Replies.Greeting(Options.HostName), cancellationToken);
        return true;
    }

    private async Task CommandLoopAsync(CancellationToken commandToken, CancellationToken shutdown)
    {
        while (!_state.Closing)
        {
            if (shutdown.IsCancellationRequested)
            {
                await _connection.SendAsync(Replies.ShuttingDown, CancellationToken.None);
                return;
            }
            _deadline.StartCommand();
            var line = await _connection.ReadLineAsync(commandToken);
            if (line.Status == LineStatus.EndOfStream)
            {
                Log.SessionEnded("lost input channel", _relay, _listener.Name, _state.LastCommand);
                return;
            }
            _state.CommandReceived();
            var (reply, endsGroup) = line.Status == LineStatus.TooLong
                ? (Replies.LineTooLong, false)
                : await ExecuteAsync(SmtpCommandParser.Parse(line.Bytes), commandToken);
            if (reply is null)
            {
                continue;
            }
            _connection.Queue(reply);
            if (reply.Code >= 400 && !_state.Closing && _state.RefusalSent(!Replies.IsServerCondition(reply)) >= Options.MaxErrors)
            {
                _connection.Queue(Replies.TooManyErrors);
                Log.SessionEnded("too many errors", _relay, _listener.Name, _state.LastCommand);
                return;
            }
            // A closing reply is flushed with the connection's end (and a TLS close_notify) instead.
            if (endsGroup && !_state.Closing)
            {
                await _connection.FlushAsync(commandToken);
            }
        }
    }

    /// <summary>Dispatches one command through the table: the reply, and whether it ends a pipelining group.</summary>
    private async ValueTask<(SmtpReply? Reply, bool EndsGroup)> ExecuteAsync(SmtpCommand command, CancellationToken cancellationToken)
    {
        _state.CommandNamed(command.Verb == SmtpVerb.Unknown ? "unknown command" : command.VerbText.ToUpperInvariant());
        if (command.HasInvalidBytes)
        {
            return (Replies.InvalidCharacters, false);
        }
        if (command.Verb == SmtpVerb.Unknown)
        {
            if (_state.Commands == 1 && HttpVerbs.Contains(command.VerbText, StringComparer.OrdinalIgnoreCase))
            {
                Log.NonSmtpCommand(_relay, command.VerbText, _state.Commands);
                _state.Close();
                return (Replies.NonSmtpCommand, false);
            }
            return (Replies.Unrecognized, false);
        }
        if (!CommandTable.Rules.TryGetValue(command.Verb, out var rule))
        {
            return (Replies.NotImplemented, false);
        }
        var refusal = GuardFailure(rule.Guard) ?? await GateRefusalAsync(rule.Needs, cancellationToken);
        return (refusal ?? await rule.Handler(this, command, cancellationToken), rule.EndsGroup);
    }

    private SmtpReply? GuardFailure(CommandGuard guard) => guard switch
    {
        CommandGuard.Greeted when _state.Phase == SessionPhase.Connected => Replies.NeedHelo,
        CommandGuard.Greeted when _state.Phase != SessionPhase.Greeted => Replies.NestedMail,
        CommandGuard.InTransaction when _state.Phase is SessionPhase.Connected or SessionPhase.Greeted => Replies.NeedMail,
        CommandGuard.HasRecipients when _state.Phase is SessionPhase.Connected or SessionPhase.Greeted => Replies.NeedMail,
        CommandGuard.HasRecipients when _state.Phase == SessionPhase.Mail => Replies.NoValidRecipients,
        _ => null,
    };

    /// <summary>
    /// The command gate: the table says what a command needs (TLS, AUTH), the policy decides
    /// whether this listener requires it (reject_plaintext_session, reject_unauthenticated_session).
    /// Asked before the argument is parsed, only while the session lacks some of it, and not again
    /// for what it let pass until TLS or AUTH changes: a TLS-and-authenticated session, every
    /// ungated command and a plain session on a listener without requirements after its first MAIL
    /// pay nothing. Like a command out of sequence, its refusal is not logged or counted as a rejection.
    /// </summary>
    private ValueTask<SmtpReply?> GateRefusalAsync(CommandNeeds needs, CancellationToken cancellationToken) =>
        (needs & ~_state.Has & ~_state.GatePassed) == CommandNeeds.None
            ? ValueTask.FromResult<SmtpReply?>(null)
            : AskGateAsync(needs, cancellationToken);

    private async ValueTask<SmtpReply?> AskGateAsync(CommandNeeds needs, CancellationToken cancellationToken)
    {
        var decision = await Pipeline.CommandAsync(_state.Facts, _state.LastCommand, needs, cancellationToken);
        if (!decision.IsAccepted)
        {
            return decision.Reply;
        }
        _state.GateAccepted(needs & ~_state.Has);
        return null;
    }

    private void Reject(string stage, string argument, PolicyDecision decision)
    {
        Log.Rejected(stage, argument, _relay, decision.Reply, decision.Reason);
        if (decision.Rule is { } rule)
        {
            _services.Metrics?.RejectedBy(stage, rule);
        }
        else
        {
            _services.Metrics?.Rejected(stage, decision.Reason);
        }
    }

    /// <summary>Ends the transaction, if any; the handlers are told (a finished one they ignore).</summary>
    private async ValueTask ResetTransactionAsync()
    {
        if (_state.TransactionReset() is { } ended)
        {
            await ended.DisposeAsync();
            await Pipeline.AbortAsync(_state.Facts, CancellationToken.None);
        }
    }

    private async ValueTask TrySendAsync(SmtpReply reply)
    {
        try
        {
            using var bounded = new CancellationTokenSource(LastReplyWait, _services.Clock);
            await _connection.SendAsync(reply, bounded.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone or stuck; the session ends either way.
        }
    }

    private static string Printable(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, 256));
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, 256)))
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }
        return builder.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await ResetTransactionAsync();
        // Handlers bound their own waits (a milter's command timeout): the session's deadline may be over.
        await Pipeline.CloseAsync(_state.Facts, CancellationToken.None);
        await _connection.DisposeAsync();
        _dataWait?.Dispose();
        _deadline.Dispose();
    }
}
