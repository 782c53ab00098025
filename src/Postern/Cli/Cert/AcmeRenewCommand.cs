using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Config;
using Postern.Hosting;
using Postern.Pki.Acme;
using Postern.Pki.Acme.Issuance;
using Postern.Pki.Tls;
using Postern.Tools.Daemon;

namespace Postern.Cli.Cert;

/// <summary>
/// <c>postern cert acme renew [--force] [--wait DURATION]</c>: renews what is due (everything with
/// --force). With a daemon running it asks the daemon (whose responder holds the challenge port)
/// and waits for the outcome; without one it orders itself, with its own responder.
/// </summary>
internal static class AcmeRenewCommand
{
    /// <summary>An order's deadline is 5 minutes; a second key type may follow.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(11);

    public static Command Create()
    {
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var force = new Option<bool>("--force") { Description = "Renew every configured certificate now, due or not" };
        var wait = new Option<string?>("--wait") { HelpName = "DURATION", Description = $"How long to wait for the running daemon's outcome: 30s, 5m; default {DurationSyntax.Format(DefaultWait)}" };
        var command = new Command("renew", "Renew the ACME certificates that are due (all with --force): through the running daemon, or here when none runs") { force, wait, config, dataDir };
        command.SetAction((parse, cancellationToken) =>
        {
            var waitText = parse.GetValue(wait);
            var limit = DefaultWait;
            if (waitText is not null && (!DurationSyntax.TryParse(waitText, out limit) || limit <= TimeSpan.Zero))
            {
                Console.Error.WriteLine($"postern: cert acme renew: --wait {waitText}: expected a duration such as 30s, 5m or 1h");
                return Task.FromResult(ExitCodes.Usage);
            }
            var loaded = ConfigurationLoader.LoadForLocalUse(parse.GetValue(config), parse.GetValue(dataDir), Environment.GetEnvironmentVariable);
            return loaded.Succeeded
                ? RunAsync(loaded.Configuration, parse.GetValue(force), limit, TimeProvider.System, Console.Out, Console.Error, cancellationToken)
                : Task.FromResult(ConfigurationErrors.Report(loaded, Console.Error, "nothing renewed"));
        });
        return command;
    }

    internal static async Task<int> RunAsync(PosternConfiguration configuration, bool force, TimeSpan wait, TimeProvider clock, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (AcmeCommand.OptionsOf(configuration, "renew", error) is not { } options)
        {
            return ExitCodes.Config;
        }
        var store = new AcmeStore(new AcmeLayout(options.Directory));
        if (PidFile.FindDaemon(configuration.DataDirectory, out _) is { } pid)
        {
            return await new AcmeDaemonRequest(store, () => PidFile.Signal(pid), clock).RunAsync(force, wait, output, error, cancellationToken);
        }
        return await RenewHereAsync(configuration, options, force, clock, output, error, cancellationToken);
    }

    /// <summary>No daemon: this process binds the responder and orders.</summary>
    private static async Task<int> RenewHereAsync(PosternConfiguration configuration, AcmeOptions options, bool force, TimeProvider clock, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        AcmeRuntime runtime;
        try
        {
            runtime = AcmeRuntime.Start(options, clock, NullLogger.Instance);
        }
        catch (TlsConfigurationException e)
        {
            error.WriteLine(TlsErrorReport.Describe(configuration, e) + "; nothing renewed");
            return ExitCodes.Config;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            error.WriteLine($"postern: cert acme renew: {e.Message}");
            return e is UnauthorizedAccessException ? ExitCodes.NoPermission : ExitCodes.OsError;
        }
        await using (runtime)
        {
            var since = clock.GetUtcNow();
            var attempt = await runtime.Renewer.RenewAsync(force, cancellationToken);
            if (attempt.Result == AcmeAttemptResult.Busy)
            {
                error.WriteLine($"postern: cert acme renew: {attempt.Error}; try again in a moment");
                return ExitCodes.TempFail;
            }
            return AcmeRenewOutcome.Print(attempt.Result, attempt.State, since, output, error);
        }
    }
}
