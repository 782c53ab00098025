namespace Postern.Tools.Sendmail;

/// <summary>
/// Which configuration the sendmail personalities read: programs that call /usr/sbin/sendmail pass
/// no Postern options, so <c>-C file</c> (or <c>--config</c>), else <c>$POSTERN_CONFIG</c>, else
/// <c>/etc/postern/postern.toml</c> when it exists, else null (the embedded default).
/// </summary>
public static class SendmailConfiguration
{
    public const string ConfigVariable = "POSTERN_CONFIG";

    public const string SystemConfigPath = "/etc/postern/postern.toml";

    public static string? PathFor(SendmailOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (options.ConfigPath is { Length: > 0 } given)
        {
            return given;
        }
        if (environment(ConfigVariable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }
        return File.Exists(SystemConfigPath) ? SystemConfigPath : null;
    }
}
