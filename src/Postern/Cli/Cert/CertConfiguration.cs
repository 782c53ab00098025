using Postern.Config;

namespace Postern.Cli.Cert;

/// <summary>Loads the configuration for a cert command that needs it, reporting errors the usual way.</summary>
internal static class CertConfiguration
{
    public static PosternConfiguration? Load(string? configPath, string? dataDir, TextWriter error)
    {
        var result = ConfigurationLoader.Load(configPath, dataDir, Environment.GetEnvironmentVariable);
        if (result.Succeeded)
        {
            return result.Configuration;
        }
        ConfigurationErrors.Report(result, error, "nothing done");
        return null;
    }
}
