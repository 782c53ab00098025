using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postern.Config;
using Postern.Logging;

namespace Postern.Hosting;

/// <summary>The mail log: sendmail-style lines on stderr and, when log.file is set, in that file.</summary>
internal static class MailLogSetup
{
    public static void Configure(ILoggingBuilder logging, PosternConfiguration configuration)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(configuration.Log.Level);
        // The framework's own chatter is not mail log material unless something is wrong.
        logging.AddFilter("Microsoft", LogLevel.Warning);
        // A start that fails (a TLS key that does not match, a port taken) ends RunAsync with the
        // exception, which `serve` reports in one line (an unexpected one, the runtime prints whole);
        // the host's own "Hosting failed to start" would put a stack trace before that line.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        logging.Services.AddSingleton<ILoggerProvider>(services =>
            new MailLogStderrProvider(Console.OpenStandardError(), configuration.Server.HostName, services.GetRequiredService<TimeProvider>()));
        if (configuration.Log.File is { } file)
        {
            logging.Services.AddSingleton<ILoggerProvider>(services =>
                new MailLogFileProvider(file, configuration.Server.HostName, services.GetRequiredService<TimeProvider>()));
        }
    }
}
