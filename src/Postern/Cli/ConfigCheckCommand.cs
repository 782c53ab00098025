using System.CommandLine;
using Postern.Configuration;

namespace Postern.Cli;

/// <summary><c>postern config check</c>: validates the configuration as `serve` would, and says what it found.</summary>
internal static class ConfigCheckCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var check = new Command("check", "Validate the configuration and the files it names (aliases), then exit") { config, dataDir };
        check.SetAction(parse => Run(parse.GetValue(config), parse.GetValue(dataDir)));
        var command = new Command("config", "Configuration tools") { check };
        return command;
    }

    private static int Run(string? configPath, string? dataDir)
    {
        var result = ConfigurationLoader.Load(configPath, dataDir, Environment.GetEnvironmentVariable);
        if (!result.Succeeded)
        {
            return ConfigurationErrors.Report(result, Console.Error);
        }
        var loaded = LocalDirectoryLoader.TryLoad(result.Configuration.Local, Console.Error);
        if (loaded is null)
        {
            return ExitCodes.Config;
        }
        var configuration = result.Configuration;
        Console.WriteLine($"{configuration.Source}: OK");
        Console.WriteLine($"  data directory: {configuration.DataDirectory}");
        foreach (var listener in configuration.Server.Listeners)
        {
            Console.WriteLine($"  listener {listener.Name}: {listener.EndPoint} ({listener.Role.ToString().ToLowerInvariant()}, tls={listener.Tls.ToString().ToLowerInvariant()}{(listener.RequireTls ? ", require_tls" : "")}, client_cert={listener.ClientCertificates.ToString().ToLowerInvariant()})");
        }
        var certificates = configuration.Tls.ServerCertificates;
        Console.WriteLine(certificates.Count == 0
            ? $"  tls certificate: generated in {configuration.Tls.GeneratedCertificateDirectory}"
            : $"  tls certificates: {string.Join(", ", certificates.Select(c => c.CertificateFile))}");
        Console.WriteLine($"  local domains: {string.Join(", ", configuration.Local.Domains)}");
        return ExitCodes.Ok;
    }
}
