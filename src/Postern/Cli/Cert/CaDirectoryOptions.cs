using System.CommandLine;
using Postern.Pki.Authority;

namespace Postern.Cli.Cert;

/// <summary>
/// Where the CA lives: <c>--ca-dir</c>, else <c>DATA_DIR/ca</c> with the data directory found as
/// every command finds it (<c>--data-dir</c>, <c>server.data_dir</c> of <c>--config</c>, <c>$POSTERN_HOME</c>).
/// </summary>
internal sealed class CaDirectoryOptions
{
    public CaDirectoryOptions(string name = "--ca-dir", params string[] aliases)
    {
        Directory = new Option<string?>(name, aliases) { Description = "The CA directory (default: DATA_DIR/ca)" };
    }

    public Option<string?> Directory { get; }

    public Option<string?> Config { get; } = CommonOptions.Config();

    public Option<string?> DataDir { get; } = CommonOptions.DataDir();

    public void AddTo(Command command)
    {
        command.Options.Add(Directory);
        command.Options.Add(Config);
        command.Options.Add(DataDir);
    }

    /// <summary>The CA directory, or null after reporting a configuration error.</summary>
    public string? Resolve(ParseResult parse, TextWriter error)
    {
        var explicitDirectory = parse.GetValue(Directory);
        if (!string.IsNullOrEmpty(explicitDirectory))
        {
            return Path.GetFullPath(explicitDirectory);
        }
        var configuration = CertConfiguration.Load(parse.GetValue(Config), parse.GetValue(DataDir), error);
        return configuration is null ? null : Path.Combine(configuration.DataDirectory, CaLayout.DefaultDirectoryName);
    }
}
