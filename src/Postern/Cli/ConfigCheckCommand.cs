using System.CommandLine;
using Postern.Configuration;
using Postern.Core.Tls;
using Postern.Pki.Tls;

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
        if (Hosting.AccessMapLoader.TryLoad(configuration.RelayPolicy.AccessMapFile, Console.Error) is null)
        {
            return ExitCodes.Config;
        }
        if (Hosting.SenderLoginMapLoader.TryLoad(configuration.Server.Auth.SenderLoginMapFile, Console.Error) is null)
        {
            return ExitCodes.Config;
        }
        if (AuthChecks.Run(configuration, Console.Error) is not { } authWarnings)
        {
            return ExitCodes.Config;
        }
        foreach (var warning in authWarnings)
        {
            Console.Error.WriteLine("warning: auth: " + warning);
        }
        var tlsWarnings = CheckCertificates(configuration.Tls, configuration.Server.HostName);
        if (tlsWarnings is null)
        {
            return ExitCodes.Config;
        }
        foreach (var warning in tlsWarnings)
        {
            Console.Error.WriteLine("warning: TLS: " + warning);
        }
        Console.WriteLine($"{configuration.Source}: OK");
        Console.WriteLine($"  data directory: {configuration.DataDirectory}");
        foreach (var listener in configuration.Server.Listeners)
        {
            Console.WriteLine($"  listener {listener.Name}: {listener.EndPoint} ({listener.Role.ToString().ToLowerInvariant()}, tls={listener.Tls.ToString().ToLowerInvariant()}{(listener.RequireTls ? ", require_tls" : "")}, client_cert={listener.ClientCertificates.ToString().ToLowerInvariant()}, auth={listener.Auth.ToString().ToLowerInvariant()})");
        }
        var certificates = configuration.Tls.ServerCertificates;
        Console.WriteLine(certificates.Count == 0
            ? $"  tls certificate: generated in {configuration.Tls.GeneratedCertificateDirectory}"
            : $"  tls certificates: {string.Join(", ", certificates.Select(c => c.CertificateFile))}");
        Console.WriteLine($"  local domains: {string.Join(", ", configuration.Local.Domains)}");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Loads configured certificates, keys, CAs and CRLs as `serve` would; returns the warnings, or
    /// null after printing the error. A generated certificate is left for `serve` to make.
    /// </summary>
    private static IReadOnlyList<string>? CheckCertificates(TlsSettings settings, string hostName)
    {
        if (settings.ServerCertificates.Count == 0 && settings.CaFile is null && settings.CaPath is null)
        {
            return [];
        }
        // Without configured server certificates, a throwaway generated one lets the CAs and CRLs be checked.
        try
        {
            var checkedSettings = settings.ServerCertificates.Count == 0
                ? settings with { GeneratedCertificateDirectory = Path.Combine(Path.GetTempPath(), "postern-check-" + Guid.NewGuid().ToString("N")) }
                : settings;
            var (_, warnings) = TlsMaterialLoader.Load(checkedSettings, hostName);
            if (!ReferenceEquals(checkedSettings, settings))
            {
                Directory.Delete(checkedSettings.GeneratedCertificateDirectory, recursive: true);
            }
            return ReferenceEquals(checkedSettings, settings) ? warnings : [];
        }
        catch (TlsConfigurationException e)
        {
            Console.Error.WriteLine("TLS: " + e.Message);
            return null;
        }
    }
}
