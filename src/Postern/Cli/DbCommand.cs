using System.CommandLine;
using Postern.Config;
using Postern.Tools.Database;

namespace Postern.Cli;

/// <summary>
/// <c>postern db init|migrate|status</c>: the schema of the <c>[database]</c> database and the
/// tables the configuration's <c>pgsql:</c> keys name.
/// </summary>
internal static class DbCommand
{
    public static Command Create() => new("db", "The PostgreSQL database of the pgsql: maps and users ([database])")
    {
        Verb("init", "Create the schema and every table the configuration names (pgsql: maps, and users when auth.users_file is one); existing tables are kept", DatabaseCommands.Init),
        Verb("migrate", "Upgrade the schema to this version of Postern and create configured tables that are missing", DatabaseCommands.Migrate),
        Verb("status", "The schema's version and each configured table's row count; exit 0 when everything is in place", DatabaseCommands.Status),
    };

    private static Command Verb(string name, string description, Func<PosternConfiguration, TextWriter, TextWriter, int> run)
    {
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var command = new Command(name, description) { config, dataDir };
        command.SetAction(parse =>
        {
            var result = ConfigurationLoader.Load(parse.GetValue(config), parse.GetValue(dataDir), Environment.GetEnvironmentVariable);
            return result.Succeeded
                ? run(result.Configuration, Console.Out, Console.Error)
                : ConfigurationErrors.Report(result, Console.Error, "database not changed");
        });
        return command;
    }
}
