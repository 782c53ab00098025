using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Postern.Config;
using Postern.Core.Queueing;
using Postern.Core.Stages;
using Postern.Core.TlsReporting;
using Postern.Delivery.Routing;
using Postern.Delivery.TlsReporting;
using Postern.Pki.Tls;
using Postern.Queue.TlsReports;

namespace Postern.Hosting;

/// <summary>
/// TLS-RPT in `serve`: the recorder the relay client reports each TLS session to, and the loop
/// that saves the counts and sends each period's reports through the spool and by HTTPS. Started
/// after the spool (report mails go into it) and stopped after the queue runner, so the sessions
/// of the last deliveries are counted and written before the process ends.
/// </summary>
internal sealed class TlsReportingService : IAsyncDisposable
{
    private readonly TlsReportRecorder _recorder;
    private readonly Func<ILocalSubmissionFilter?, TlsReportSender> _createSender;
    private readonly TlsReportPoster _poster;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private TlsReportingService(TlsReportRecorder recorder, Func<ILocalSubmissionFilter?, TlsReportSender> createSender, TlsReportPoster poster)
    {
        _recorder = recorder;
        _createSender = createSender;
        _poster = poster;
    }

    public ITlsSessionRecorder Recorder => _recorder;

    /// <summary>Null when <c>tls_reporting.enabled</c> is false: nothing is counted.</summary>
    /// <exception cref="TlsConfigurationException">delivery.https_ca_file is unusable.</exception>
    public static TlsReportingService? Create(PosternConfiguration configuration, IMessageQueue queue, TimeProvider clock, ILoggerFactory loggers, Meter? meter)
    {
        var options = configuration.TlsReporting;
        if (!options.Enabled)
        {
            return null;
        }
        var logger = loggers.CreateLogger("postern.tlsrpt");
        var recorder = new TlsReportRecorder(new TlsReportStore(options.Directory), options, TlsReportLimits.Default, clock, logger);
        recorder.Load();
        var poster = CreatePoster(options, clock);
        var resolver = new DnsTlsRptRecordResolver(new DnsTxtResolver(new DnsResolverOptions { Servers = configuration.Relay.DnsServers }));
        var metrics = meter is null ? null : new TlsReportMetrics(meter);
        return new TlsReportingService(
            recorder,
            localSubmissions => new TlsReportSender(
                recorder, resolver, new TlsReportMailer(queue, options, clock) { LocalSubmissions = localSubmissions }, poster, options, clock, logger)
            {
                Metrics = metrics,
            },
            poster);
    }

    /// <summary>
    /// Starts the loop. <paramref name="localSubmissions"/>: the handlers local submissions pass,
    /// so the report mails are DKIM-signed as RFC 8460 section 5.3 asks; null when there are none.
    /// </summary>
    public void Start(ILocalSubmissionFilter? localSubmissions)
    {
        var sender = _createSender(localSubmissions);
        _loop = Task.Run(() => sender.RunAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Stops the loop, which saves the counts a last time.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
            _loop = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _poster.Dispose();
        _stop.Dispose();
    }

    /// <exception cref="TlsConfigurationException">delivery.https_ca_file is unusable.</exception>
    private static TlsReportPoster CreatePoster(TlsReportingOptions options, TimeProvider clock) =>
        new(options.HttpsCaFile is { } file ? CaLoader.Load(file, null, []) : null, clock);
}
