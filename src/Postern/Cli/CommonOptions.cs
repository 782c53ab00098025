using System.CommandLine;

namespace Postern.Cli;

/// <summary>The options every command that reads the configuration shares.</summary>
internal static class CommonOptions
{
    public static Option<string?> Config() => new("--config", "-c")
    {
        Description = "The configuration file (postern.toml); without it, the embedded default",
    };

    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = "The data directory (spool, mailboxes); overrides server.data_dir and $POSTERN_HOME",
    };
}
