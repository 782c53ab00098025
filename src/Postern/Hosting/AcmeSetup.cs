using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Postern.Config;

namespace Postern.Hosting;

/// <summary>Starts the daemon's ACME service when <c>[acme]</c> is configured: the responder binds now (a failure stops the start), the loop orders in the background.</summary>
internal static class AcmeSetup
{
    /// <param name="configuration">Without [acme], nothing is started.</param>
    /// <param name="reloadTls">Reloads the server and client TLS contexts after an issuance.</param>
    /// <param name="meter">The process's meter, or null with metrics off.</param>
    /// <param name="clock">Every wait of the service.</param>
    /// <param name="loggers">The service logs as postern.acme.</param>
    public static AcmeService? Start(PosternConfiguration configuration, Action reloadTls, Meter? meter, TimeProvider clock, ILoggerFactory loggers)
    {
        if (configuration.Acme is not { } options)
        {
            return null;
        }
        var log = loggers.CreateLogger("postern.acme");
        var runtime = AcmeRuntime.Start(options, clock, log);
        var service = new AcmeService(runtime.Renewer, runtime.Store, runtime, reloadTls, meter is null ? null : new AcmeMetrics(meter, clock), clock, log);
        service.Start();
        return service;
    }
}
