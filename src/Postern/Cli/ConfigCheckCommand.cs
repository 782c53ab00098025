using System.CommandLine;
using Postern.Config;
using Postern.Config.Check;

namespace Postern.Cli;

/// <summary><c>postern config check|show|import-mc</c>: validate, print and migrate the configuration.</summary>
internal static class ConfigCheckCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var check = new Command("check", "Validate the configuration and every file it names (certificates, keys, maps, users), then warn about risky settings (open relay paths, expiring certificates, exposed keys...); exit 78 on errors, 0 otherwise") { config, dataDir };
        check.SetAction(parse => ConfigCheck.Run(parse.GetValue(config), parse.GetValue(dataDir), Console.Out, Console.Error, TimeProvider.System));

        var showConfig = CommonOptions.Config();
        var showDataDir = CommonOptions.DataDir();
        var show = new Command("show", "Print the effective configuration as TOML, every key with its default filled in (file paths only, never their contents)") { showConfig, showDataDir };
        show.SetAction(parse => Show(parse.GetValue(showConfig), parse.GetValue(showDataDir), Console.Out, Console.Error));

        var command = new Command("config", "Configuration tools: check, show, import-mc") { check, show, ImportMcCommand.Create() };
        return command;
    }

    /// <summary>Writes the effective configuration; exit 78 with the errors when it does not load.</summary>
    public static int Show(string? configPath, string? dataDir, TextWriter output, TextWriter errors)
    {
        var result = ConfigurationLoader.Load(configPath, dataDir, Environment.GetEnvironmentVariable);
        if (!result.Succeeded)
        {
            return ConfigurationErrors.Report(result, errors, "nothing shown");
        }
        output.Write(ConfigurationWriter.Write(result.Configuration, UsersFilePath.Of(result.Configuration)));
        return ExitCodes.Ok;
    }
}
