using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Postern.Config;
using Postern.Config.Loading;
using Postern.Delivery.Local;
using Postern.Delivery.Relay;
using Postern.Filters.Dkim;
using Postern.Hosting;
using Postern.Pki.Tls;
using Postern.Policy.Access;
using Postern.Policy.Auth;

namespace Postern.Cli;

/// <summary><c>postern serve</c>: runs the MTA (listeners, queue runner, delivery) until SIGTERM/SIGINT.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var command = new Command("serve", "Run the mail server (sendmail -bd)") { config, dataDir };
        command.SetAction((parse, _) => RunAsync(parse.GetValue(config), parse.GetValue(dataDir)));
        return command;
    }

    /// <summary>Runs the daemon (also <c>sendmail -bd</c>).</summary>
    internal static async Task<int> RunAsync(string? configPath, string? dataDir)
    {
        var result = ConfigurationLoader.Load(configPath, dataDir, Environment.GetEnvironmentVariable);
        if (!result.Succeeded)
        {
            return ConfigurationErrors.Report(result, Console.Error);
        }
        var configuration = result.Configuration;
        var directory = LocalDirectoryLoader.TryLoad(configuration.Local, Console.Error);
        if (directory is null)
        {
            return ExitCodes.Config;
        }
        var accessMap = AccessMapLoader.TryLoad(configuration.RelayPolicy.AccessMapFile, Console.Error);
        if (accessMap is null)
        {
            return ExitCodes.Config;
        }
        var senderLogins = SenderLoginMapLoader.TryLoad(configuration.Server.Auth.SenderLoginMapFile, Console.Error);
        if (senderLogins is null)
        {
            return ExitCodes.Config;
        }
        var dkim = DkimKeyLoader.TryLoad(configuration, Console.Error);
        if (dkim is null)
        {
            return ExitCodes.Config;
        }
        if (AuthSetup.TryLoadSecret(configuration.DataDirectory, Console.Error) is not { } secret)
        {
            return ExitCodes.CannotCreate;
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "postern",
            ContentRootPath = AppContext.BaseDirectory,
        });
        MailLogSetup.Configure(builder.Logging, configuration);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = configuration.Server.ShutdownGrace + TimeSpan.FromSeconds(15));
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.Services.AddSingleton(configuration);
        builder.Services.AddSingleton(new Reloadable<LocalRecipientDirectory>(
            directory, errors => LocalDirectoryLoader.TryLoad(configuration.Local, errors)));
        builder.Services.AddSingleton(new Reloadable<AccessMap>(
            accessMap, errors => AccessMapLoader.TryLoad(configuration.RelayPolicy.AccessMapFile, errors)));
        builder.Services.AddSingleton(new Reloadable<SenderLoginMap>(
            senderLogins, errors => SenderLoginMapLoader.TryLoad(configuration.Server.Auth.SenderLoginMapFile, errors)));
        builder.Services.AddSingleton(new Reloadable<DkimSigningTable>(
            dkim, errors => DkimKeyLoader.TryLoad(configuration, errors)));
        // One PostgresMaps for the process (pool, cache, LISTEN); started before and stopped after MtaService.
        builder.Services.AddSingleton(provider => new MapSources(configuration, TimeProvider.System, provider.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService(provider => provider.GetRequiredService<MapSources>());
        // The pgsql: maps open through that database's tables.
        builder.Services.AddSingleton(provider => MapSetup.Tables(configuration, provider.GetRequiredService<MapSources>()));
        builder.Services.AddSingleton(provider => AuthSetup.CreateBackend(
            configuration, secret, provider.GetRequiredService<Reloadable<AccessMap>>(), provider.GetRequiredService<MapTables>(), provider.GetRequiredService<MapSources>(), provider.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<MtaService>();
        using var host = builder.Build();
        try
        {
            await host.RunAsync();
        }
        catch (TlsConfigurationException e)
        {
            await Console.Error.WriteLineAsync(TlsErrorReport.Describe(configuration, e) + "; not started");
            return ExitCodes.Config;
        }
        catch (Exception e) when (e is MapSetupException or Delivery.Virtual.VirtualMapException)
        {
            await Console.Error.WriteLineAsync("postern: " + e.Message + "; not started");
            return ExitCodes.Config;
        }
        catch (AuthInfoFileException e)
        {
            await Console.Error.WriteLineAsync("postern: relay credentials: " + e.Message + "; not started");
            return ExitCodes.Config;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync("postern: cannot start: " + e.Message);
            return ExitCodes.OsError;
        }
        return ExitCodes.Ok;
    }
}
