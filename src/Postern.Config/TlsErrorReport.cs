using Postern.Pki.Tls;

namespace Postern.Config;

/// <summary>
/// One line for a TLS file found unusable when it is read: <c>postern.toml:12:1: tls.server_key: FILE: PROBLEM</c>
/// when the configuration named the file, as every other configuration error reads.
/// </summary>
public static class TlsErrorReport
{
    public static string Describe(PosternConfiguration configuration, TlsConfigurationException error)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(error);
        if (error.File is { } file && configuration.Files.TryFind(file, out var key, out var location))
        {
            return new ConfigError(configuration.Source, location.Line, location.Column, key, error.Message).ToString();
        }
        return "TLS: " + error.Message;
    }
}
