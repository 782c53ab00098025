using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Postern.Core.Policy;
using Postern.Core.Smtp;
using Postern.Server.Connections;
using Postern.Server.Logging;
using Postern.Server.Options;
using Postern.Server.Session;
using Postern.Server.Stages;

namespace Postern.Server.Listening;

/// <summary>
/// All listeners of one server: binds them, accepts under the connection limits, runs a session per
/// connection and shuts down gracefully (stop accepting, let messages in transfer finish).
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{

    private readonly SessionServices _services;
    private readonly ConnectionAdmission _admission;
    private readonly SessionTimeouts _timeouts;
    private readonly ConcurrentDictionary<Task, byte> _sessions = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly List<(Socket Socket, ListenerOptions Listener)> _sockets = [];
    private readonly Dictionary<string, StagePipeline> _pipelines = new(StringComparer.Ordinal);
    private readonly List<Task> _acceptLoops = [];
    private volatile bool _stopping;

    public SmtpServer(SessionServices services)
    {
        _services = services;
        _admission = new ConnectionAdmission(services.Options, services.ClientLimits, services.Clock, OnStressChanged);
        _timeouts = new SessionTimeouts(services.Options, () => _admission.UnderStress);
    }

    /// <summary>The bound end points, in listener order (useful when a port was 0).</summary>
    public IReadOnlyList<IPEndPoint> EndPoints => [.. _sockets.Select(s => (IPEndPoint)s.Socket.LocalEndPoint!)];

    /// <summary>True from a successful <see cref="Start"/> until <see cref="StopAsync"/>: every listener is bound and accepting.</summary>
    public bool IsListening => _sockets.Count > 0 && !_stopping;

    /// <summary>Binds every listener (failing fast if one cannot bind) and starts accepting.</summary>
    public void Start()
    {
        foreach (var listener in _services.Options.Listeners)
        {
            var socket = ListenSocket.Bind(listener);
            _sockets.Add((socket, listener));
            _services.Logger.Listening(socket.LocalEndPoint!, listener.Name, listener.Role == ListenerRole.Msa ? "msa" : "mta");
        }
        foreach (var (socket, listener) in _sockets)
        {
            _acceptLoops.Add(AcceptLoopAsync(socket, listener, PipelineFor(listener)));
        }
    }

    /// <summary>
    /// One pipeline per listener, built before it accepts: its handlers are shared by its sessions,
    /// which only read it; listeners that run the same handlers share one pipeline.
    /// </summary>
    private StagePipeline PipelineFor(ListenerOptions listener)
    {
        var key = _services.ListenerHandlers.ContainsKey(listener.Name) ? listener.Name : "";
        if (!_pipelines.TryGetValue(key, out var pipeline))
        {
            pipeline = StagePipeline.For(_services, listener.Name);
            _pipelines.Add(key, pipeline);
        }
        return pipeline;
    }

    /// <summary>
    /// Stops accepting, tells idle sessions to close with 421, gives sessions in DATA until the
    /// grace period ends to finish their message, then aborts what is left.
    /// </summary>
    public async Task StopAsync()
    {
        _stopping = true;
        foreach (var (socket, listener) in _sockets)
        {
            _services.Logger.StoppedListening(socket.LocalEndPoint!, listener.Name);
            socket.Dispose();
        }
        await Task.WhenAll(_acceptLoops);
        await _shutdown.CancelAsync();
        var all = Task.WhenAll(_sessions.Keys);
        var finished = await Task.WhenAny(all, Task.Delay(_services.Options.ShutdownGrace, _services.Clock));
        if (finished != all)
        {
            _services.Logger.ShutdownForced(_sessions.Count);
            await _abort.CancelAsync();
            await all;
        }
    }

    private async Task AcceptLoopAsync(Socket listenSocket, ListenerOptions listener, StagePipeline pipeline)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listenSocket.AcceptAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException { SocketErrorCode: SocketError.OperationAborted or SocketError.Interrupted or SocketError.InvalidArgument })
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of descriptors or a reset in the backlog: keep the listener alive, but pause
                // so that a lasting failure (EMFILE) does not spin a core and flood the log.
                _services.Logger.AcceptFailed(e, listener.Name);
                await Task.Delay(AcceptFailurePause, _services.Clock);
                continue;
            }
            var session = Task.Run(() => ServeAsync(client, listener, pipeline));
            _sessions.TryAdd(session, 0);
            _ = session.ContinueWith(t => _sessions.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client, ListenerOptions listener, StagePipeline pipeline)
    {
        var remote = (IPEndPoint)client.RemoteEndPoint!;
        var local = (IPEndPoint)client.LocalEndPoint!;
        client.NoDelay = true;
        var stream = new NetworkStream(client, ownsSocket: true);
        if (listener.Proxy is { } proxy)
        {
            // Before admission: the per-IP slots and ClientConn/ClientRate count the client, not the proxy.
            if (await ProxyHandshake.RunAsync(stream, remote, local, listener, proxy, _services, _shutdown.Token) is not { } carried)
            {
                _services.Metrics?.ConnectionRefused(listener.Name);
                await stream.DisposeAsync();
                return;
            }
            (remote, local) = carried;
        }
        // The lookup is bounded by the table's own timeout; the stream below is closed either way.
        if (await _admission.AdmitAsync(remote.Address, CancellationToken.None) is { } refusal)
        {
            _services.Logger.ConnectionLimited("[" + remote.Address + "]", listener.Name, refusal.Reason);
            _services.Metrics?.ConnectionRefused(listener.Name);
            await RefuseAsync(stream, refusal.Reply);
            return;
        }
        _services.Metrics?.ConnectionAccepted(listener.Name);
        try
        {
            var session = new SmtpSession(_services, listener, stream, remote, local, pipeline, _timeouts);
            await using (session)
            {
                await session.RunAsync(_shutdown.Token, _abort.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Aborted at the end of the shutdown grace period: already logged.
        }
        catch (Exception e)
        {
            _services.Logger.SessionFailed(e, "[" + remote.Address + "]");
        }
        finally
        {
            _admission.Release(remote.Address);
            _services.Metrics?.ConnectionClosed(listener.Name);
        }
    }

    /// <summary>How long the accept loop waits after a failed accept before it tries again.</summary>
    private static readonly TimeSpan AcceptFailurePause = TimeSpan.FromMilliseconds(100);

    // Told by the limiter, under its lock, so "stress" and "stress ended" are logged in order, once each.
    private void OnStressChanged(bool underStress, int inUse)
    {
        var options = _services.Options;
        if (underStress)
        {
            _services.Logger.StressStarted(inUse, options.MaxConnections, options.StressTimeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "s");
        }
        else
        {
            _services.Logger.StressEnded(inUse, options.MaxConnections);
        }
    }

    /// <summary>How long a refusal or a last reply may take to leave before the socket is closed regardless.</summary>
    private static readonly TimeSpan LastReplyWait = TimeSpan.FromSeconds(5);

    private async Task RefuseAsync(NetworkStream stream, SmtpReply reply)
    {
        await using (stream)
        {
            try
            {
                using var bounded = new CancellationTokenSource(LastReplyWait, _services.Clock);
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(reply.ToWireString()), bounded.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // The client left first; nothing to tell it.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_shutdown.IsCancellationRequested)
        {
            await StopAsync();
        }
        _shutdown.Dispose();
        _abort.Dispose();
    }
}
