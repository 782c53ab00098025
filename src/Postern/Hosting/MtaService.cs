using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Postern.Config;
using Postern.Core.Milters;
using Postern.Core.Stages;
using Postern.Delivery.Local;
using Postern.Delivery.Relay;
using Postern.Delivery.Routing;
using Postern.Delivery.Virtual;
using Postern.Filters.Dkim;
using Postern.Hosting.Pickup;
using Postern.Hosting.Stages;
using Postern.Milter;
using Postern.Milter.Telemetry;
using Postern.Pki.Tls;
using Postern.Policy;
using Postern.Policy.Access;
using Postern.Policy.Auth;
using Postern.Queue;
using Postern.Queue.Dsn;
using Postern.Queue.Storage;
using Postern.Server.Auth;
using Postern.Server.Listening;
using Postern.Server.Session;
using Postern.Server.Stages;
using Postern.Server.Telemetry;
using Postern.Tools.Daemon;

namespace Postern.Hosting;

/// <summary>
/// The composition root of `postern serve`: spool, queue runner, delivery, policy and listeners,
/// started in that order (mail is never accepted before the queue can take it) and stopped in
/// reverse (listeners drain first, then the runner finishes its deliveries).
/// </summary>
internal sealed partial class MtaService(
    PosternConfiguration configuration,
    Reloadable<LocalRecipientDirectory> directory,
    Reloadable<AccessMap> accessMap,
    Reloadable<SenderLoginMap> senderLogins,
    Reloadable<DkimSigningTable> dkim,
    AuthBackend authBackend,
    MapTables maps,
    TimeProvider clock,
    ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _log = loggers.CreateLogger("postern");
    private readonly CancellationTokenSource _stopRunner = new();
    // The threads for the spool's blocking fsyncs and renames: one set for the process.
    private readonly SpoolIoThreads _spoolIo = new();
    private SmtpServer? _server;
    private Task? _runner;
    private PosixSignalRegistration? _reload;
    private PosixSignalRegistration? _queueSignal;
    private QueueRunner? _queueRunner;
    private ServerTlsContext? _tls;
    private ClientTlsContext? _clientTls;
    private SmtpRelayTransport? _relay;
    private Meter? _meter;
    private MetricsEndpoint? _metrics;
    private string _heldDirectory = "";
    private MilterMetrics? _milterMetrics;
    private PickupService? _pickup;
    private DkimSigningHandler? _dkimSigner;
    private TlsReportingService? _tlsReporting;
    private AcmeService? _acme;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Others may pass through (x) to the maildrop, never list (r); each entry keeps its own mode.
        Directory.CreateDirectory(
            configuration.DataDirectory,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        // TLS material first: a bad key or certificate stops the start before the spool is touched.
        _tls = TlsSetup.Create(configuration, clock, loggers.CreateLogger("postern.tls"));
        var committed = new CommittedMessages();
        var spool = new Spool(configuration.Queue, _spoolIo, committed, clock, loggers.CreateLogger<Spool>());
        // Instruments exist only when something will read them: metrics off costs nothing.
        _meter = configuration.Metrics.Enabled ? MetricsEndpoint.CreateMeter() : null;
        // Before the queue runner starts: an unreadable public suffix list stops the start here.
        var handlers = CreateStageHandlers();
        // Before the queue runner: a virtual map file with errors, or a pgsql: map without a database, stops the start here.
        var local = new LocalTransport(() => directory.Current, configuration.Server.HostName, clock, loggers.CreateLogger<LocalTransport>())
        {
            Aliases = maps.Aliases(),
            // local.transport: local users' mail goes to the mailbox server (Dovecot) after alias expansion.
            Mailboxes = LmtpSetup.Create(configuration.Local.Transport, configuration.Server.HostName, clock, loggers),
        };
        var virtualDelivery = maps.VirtualMailboxes() is { } virtualMailboxes
            && LmtpSetup.Create(configuration.Virtual.Transport, configuration.Server.HostName, clock, loggers) is { } virtualTransport
            ? new VirtualDelivery(virtualMailboxes, virtualTransport)
            : null;
        var policyMaps = maps.Policy(accessMap, senderLogins, () => directory.Current);
        // Before the relay client: the recorder must exist before any delivery starts.
        _tlsReporting = TlsReportingService.Create(configuration, spool, clock, loggers, _meter);
        // MTA-STS: the cache directory is created and delivery.https_ca_file loaded now, so a bad file stops the start.
        var mtaSts = MtaStsSetup.Create(configuration, clock, loggers);
        (_relay, _clientTls) = RelaySetup.Create(configuration, clock, loggers, mtaSts, _tlsReporting?.Recorder, _meter);
        // [acme]: the challenge responder binds now (like a listener, a failure stops the start); orders run in the background.
        _acme = AcmeSetup.Start(configuration, () => ReloadTls(_log), _meter, clock, loggers);
        var router = new DeliveryRouter(() => directory.Current, local, _relay, virtualDelivery);
        var hostName = configuration.Server.HostName;
        var bounces = new DsnBounceSink(spool, hostName, "postmaster@" + hostName, clock, loggers.CreateLogger<DsnBounceSink>());
        var runner = new QueueRunner(spool, committed, router, bounces, configuration.Queue, clock, loggers.CreateLogger<QueueRunner>())
        {
            Metrics = _meter is null ? null : new QueueMetrics(_meter, spool, clock),
        };
        _queueRunner = runner;
        _runner = Task.Run(() => runner.RunAsync(_stopRunner.Token), CancellationToken.None);
        _heldDirectory = HeldDirectory.Prepare(configuration.DataDirectory);
        _milterMetrics = _meter is null ? null : new MilterMetrics(_meter);
        var policy = new RelayPolicy(() => directory.Current, configuration.RelayPolicy, policyMaps);
        // After the policy engine: each listener's milters (its own list, else the server's), then
        // the handlers of SMTP sessions only (authentication results), then those every session and
        // every local submission runs (the DKIM signer, last).
        var stages = new StageComposition(configuration.Milters, CreateMilter, after: LastHandlers(policy)) { AfterInSessions = handlers };
        _pickup = StartPickup(spool, bounces, stages.ForLocalSubmissions());
        // Report mails pass the local submissions' handlers: the DKIM signer signs them (RFC 8460 5.3).
        var localHandlers = stages.ForLocalSubmissions();
        _tlsReporting?.Start(localHandlers.Count == 0 ? null : new LocalSubmissionPipeline(localHandlers, spool, _heldDirectory, clock));

        var services = new SessionServices(configuration.Server, policy, spool, clock, loggers.CreateLogger("postern.smtpd"), _tls, runner)
        {
            Auth = CreateAuthServices(),
            Metrics = _meter is null ? null : new ServerMetrics(_meter),
            ClientLimits = new AccessClientLimits(policyMaps.Access!),
            HeldMessageDirectory = _heldDirectory,
        };
        _server = new SmtpServer(stages.Apply(services, configuration.Server.Listeners));
        if (configuration.Metrics.Listen is { } metricsAddress)
        {
            // Before the SMTP listeners: a metrics port that cannot be bound stops the start before any mail is taken.
            var server = _server;
            _metrics = MetricsEndpoint.Start(
                metricsAddress, new HealthCheck(() => server.IsListening, configuration.Queue.SpoolDirectory), loggers.CreateLogger("postern.metrics"));
        }
        _server.Start();
        // Under nohup SIGHUP arrives ignored; the daemon's reload must still answer it.
        if (InheritedSignal.ResetIfIgnored(InheritedSignal.Hangup))
        {
            SignalWasIgnored(_log, "SIGHUP");
        }
        _reload = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnReload);
        // SIGUSR1 (raw number: PosixSignal has no name for it) comes from `postern queue`.
        if (InheritedSignal.ResetIfIgnored(PidFile.UserSignal1))
        {
            SignalWasIgnored(_log, "SIGUSR1");
        }
        _queueSignal = PosixSignalRegistration.Create((PosixSignal)PidFile.UserSignal1, OnQueueSignal);
        WritePidFile();
        Started(_log, configuration.Source, configuration.DataDirectory);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The handlers that must see the message as every other handler left it, in order: the DKIM
    /// signer signs the final header fields and body, so it runs after the milters. Without a
    /// <c>[[dkim]]</c> entry there is no signer, and a message is not held for it.
    /// </summary>
    private List<IStageHandler> LastHandlers(RelayPolicy policy)
    {
        if (dkim.Current.IsEmpty)
        {
            return [];
        }
        foreach (var warning in dkim.Current.Warnings)
        {
            DkimWarning(_log, warning);
        }
        _dkimSigner ??= new DkimSigningHandler(() => dkim.Current, policy, clock, loggers.CreateLogger("postern.dkim"))
        {
            Metrics = _meter is null ? null : new DkimMetrics(_meter),
        };
        return [_dkimSigner];
    }

    /// <summary>
    /// The PID file only lets `postern queue` and local submissions signal the daemon: on a full
    /// disk the daemon starts without it, since delivering the queue is what frees the space.
    /// </summary>
    private void WritePidFile()
    {
        try
        {
            PidFile.Write(configuration.DataDirectory);
        }
        catch (IOException e)
        {
            PidFileNotWritten(_log, PidFile.PathIn(configuration.DataDirectory), e.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _reload?.Dispose();
        _queueSignal?.Dispose();
        PidFile.Remove(configuration.DataDirectory);
        if (_acme is not null)
        {
            // First: an order under way is abandoned (its challenge withdrawn), the current certificate stays.
            await _acme.DisposeAsync();
            _acme = null;
        }
        if (_server is not null)
        {
            await _server.StopAsync();
        }
        if (_pickup is not null)
        {
            await _pickup.DisposeAsync();
            _pickup = null;
        }
        await _stopRunner.CancelAsync();
        if (_runner is not null)
        {
            await _runner.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        if (_relay is not null)
        {
            // Idle relay sessions get their QUIT now rather than when their timers run out.
            await _relay.DisposeAsync();
        }
        if (_tlsReporting is not null)
        {
            // After the last deliveries: their sessions are counted and saved.
            await _tlsReporting.DisposeAsync();
            _tlsReporting = null;
        }
        if (_metrics is not null)
        {
            await _metrics.DisposeAsync();
            _metrics = null;
        }
        Stopped(_log);
    }

    /// <summary>
    /// The maildrop through which local users without access to the spool submit (see
    /// <see cref="Queue.Maildrop.Maildrop"/>); its files are picked up now and as they arrive.
    /// </summary>
    private PickupService StartPickup(Spool spool, DsnBounceSink bounces, IReadOnlyList<IStageHandler> localHandlers)
    {
        var maildrop = Queue.Maildrop.Maildrop.PathIn(configuration.DataDirectory);
        Queue.Maildrop.Maildrop.EnsureCreated(maildrop);
        if ((File.GetUnixFileMode(configuration.DataDirectory) & UnixFileMode.OtherExecute) == 0)
        {
            MaildropUnreachable(_log, configuration.DataDirectory, maildrop);
        }
        var rules = new LocalSubmissionRules(configuration, () => directory.Current, clock);
        var pickup = new Queue.Maildrop.MaildropPickup(
            spool, maildrop, configuration.Server.MaxMessageSize, rules, clock, loggers.CreateLogger<Queue.Maildrop.MaildropPickup>())
        {
            // Only when some handler takes local submissions: otherwise files go straight into the spool.
            Filtering = localHandlers.Count == 0 ? null : new Queue.Maildrop.MaildropFiltering(
                new LocalSubmissionPipeline(localHandlers, spool, _heldDirectory, clock),
                bounces,
                configuration.Queue.MaxQueueLifetime,
                clock,
                loggers.CreateLogger<Queue.Maildrop.MaildropFiltering>()),
        };
        return new PickupService(pickup, maildrop, clock, loggers.CreateLogger("postern.pickup"));
    }

    /// <summary>The milter client's stage handler for one <c>[[milter]]</c> entry.</summary>
    private MilterStageHandler CreateMilter(MilterDefinition definition) =>
        new MilterStageHandler(
            definition,
            new MilterEnvironment(configuration.Server.HostName, clock, loggers.CreateLogger("postern.milter"))
            {
                Metrics = _milterMetrics,
                TemporaryDirectory = _heldDirectory,
            });

    /// <summary>
    /// The handlers SMTP sessions run after their milters (<see cref="StageComposition"/>): the
    /// authentication results (SPF, DKIM, DMARC: they judge the message as the milters left it).
    /// DKIM signing comes after them (<see cref="LastHandlers"/>), so that it signs the message
    /// exactly as it will be queued.
    /// </summary>
    private List<IStageHandler> CreateStageHandlers()
    {
        var handlers = new List<IStageHandler>();
        if (AuthenticationSetup.Create(configuration, clock, loggers, _meter) is { } authentication)
        {
            handlers.Add(authentication);
        }
        return handlers;
    }

    /// <summary>AUTH for the listeners: null (not offered) while the back end has no mechanism.</summary>
    private AuthServices? CreateAuthServices()
    {
        if (authBackend.Mechanisms.Count == 0)
        {
            return null;
        }
        var options = configuration.Server.Auth;
        return new AuthServices(authBackend.Mechanisms, authBackend.Users, new AuthFailureLimiter(options, clock))
        {
            CertificateIdentities = authBackend.CertificateIdentities,
        };
    }

    /// <summary>
    /// <c>postern queue</c> changed the spool (release, delete) or asked for a flush: pick up
    /// released messages and run the flush requests, off the signal thread.
    /// </summary>
    private void OnQueueSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _pickup?.Wake();
        _acme?.Wake();
        if (_queueRunner is not { } runner)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                runner.Rescan();
                foreach (var domain in new FlushRequests(configuration.Queue.SpoolDirectory).Take())
                {
                    var count = await runner.FlushAsync(domain, _stopRunner.Token);
                    FlushRequested(_log, domain ?? "(all)", count);
                }
            }
            catch (OperationCanceledException)
            {
                // Shutting down.
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                QueueSignalFailed(_log, e.Message);
            }
        }, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        _stopRunner.Dispose();
        if (_acme is not null)
        {
            await _acme.DisposeAsync();
        }
        if (_tlsReporting is not null)
        {
            await _tlsReporting.DisposeAsync();
        }
        if (_metrics is not null)
        {
            await _metrics.DisposeAsync();
        }
        _meter?.Dispose();
        _tls?.Dispose();
        _clientTls?.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "starting daemon: config={Source}, data_dir={DataDirectory}")]
    private static partial void Started(ILogger logger, string source, string dataDirectory);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "daemon stopped")]
    private static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "reloaded local users and aliases ({Aliases})")]
    private static partial void Reloaded(ILogger logger, string aliases);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "reloaded {What} {File}")]
    private static partial void MapReloaded(ILogger logger, string what, string file);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "dkim: {Warning}")]
    private static partial void DkimWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "{Signal} was ignored when the daemon started (nohup?); it is answered anyway")]
    private static partial void SignalWasIgnored(ILogger logger, string signal);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "queue flush requested for {Domain}: {Count} messages")]
    private static partial void FlushRequested(ILogger logger, string domain, int count);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "queue signal: cannot read the queue: {Reason}")]
    private static partial void QueueSignalFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "reload failed, keeping the previous {What}: {Errors}")]
    private static partial void ReloadFailed(ILogger logger, string what, string errors);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "cannot write the PID file {Path}: {Reason}; running without it, so `postern queue` and sendmail cannot signal this daemon (it still sweeps the maildrop every minute and retries the queue on its schedule)")]
    private static partial void PidFileNotWritten(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "local users cannot reach the maildrop {Maildrop}: the data directory {DataDirectory} is not searchable by others (chmod o+x it); only root and the service user can submit with sendmail")]
    private static partial void MaildropUnreachable(ILogger logger, string dataDirectory, string maildrop);
}
