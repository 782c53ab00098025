using System.CommandLine;
using Postern.Config;
using Postern.Database;
using Postern.Protocol.Sasl.Server;
using Postern.Tools.Users;

namespace Postern.Cli;

/// <summary>
/// <c>postern user add|passwd|delete|list|show|bind-cert|unbind-cert</c>: manages the SMTP AUTH
/// users file (default <c>DATA_DIR/users</c>), or the users table when <c>auth.users_file</c> is
/// <c>pgsql:NAME</c>. Passwords come from the terminal (no echo) or one
/// line of stdin, never from the command line.
/// </summary>
internal static class UserCommand
{
    public static Command Create() => new("user", "Manage the users who may authenticate (SMTP AUTH): passwords and bound certificates")
    {
        Named("add", "Add a user; the password is read from the terminal or one line of stdin", (c, parse, name, equivalent) =>
            UserActions.Add(c, name, parse.GetValue(equivalent.Store) || c.PasswordEquivalentMechanismsEnabled)),
        Named("passwd", "Change a user's password (keeps a stored password-equivalent unless --no-password-equivalent)", (c, parse, name, equivalent) =>
            UserActions.Passwd(c, name, parse.GetValue(equivalent.Store) ? true : parse.GetValue(equivalent.Drop) ? false : c.PasswordEquivalentMechanismsEnabled ? true : null), withDrop: true),
        Named("delete", "Delete a user", (c, _, name, _) => UserActions.Delete(c, name), withEquivalent: false),
        Named("show", "Show a user's credential kinds and bound certificates (never a secret)", (c, _, name, _) => UserActions.Show(c, name), withEquivalent: false),
        CreateList(),
        CreateBind(),
        CreateUnbind(),
    };

    private static Command Named(string verb, string description, Func<UserCommandContext, ParseResult, string, EquivalentOptions, int> run, bool withEquivalent = true, bool withDrop = false)
    {
        var name = new Argument<string>("NAME") { Description = "The user name (case-insensitive)" };
        var common = new FileOptions();
        var equivalent = new EquivalentOptions();
        var command = new Command(verb, description) { name };
        common.AddTo(command);
        if (withEquivalent)
        {
            command.Options.Add(equivalent.Store);
        }
        if (withDrop)
        {
            command.Options.Add(equivalent.Drop);
        }
        command.SetAction(parse => common.Run(parse, c => run(c, parse, parse.GetValue(name)!, equivalent)));
        return command;
    }

    private static Command CreateList()
    {
        var common = new FileOptions();
        var command = new Command("list", "List the users and the kinds of credential each has");
        common.AddTo(command);
        command.SetAction(parse => common.Run(parse, UserActions.List));
        return command;
    }

    private static Command CreateBind()
    {
        var name = new Argument<string>("NAME") { Description = "The user name" };
        var file = new Argument<string>("CERT") { Description = "The client certificate (PEM or DER) whose holder authenticates as NAME with EXTERNAL" };
        var common = new FileOptions();
        var command = new Command("bind-cert", "Bind a client certificate (by SHA-256 fingerprint) to a user, for AUTH EXTERNAL") { name, file };
        common.AddTo(command);
        command.SetAction(parse => common.Run(parse, c => UserActions.BindCertificate(c, parse.GetValue(name)!, parse.GetValue(file)!)));
        return command;
    }

    private static Command CreateUnbind()
    {
        var name = new Argument<string>("NAME") { Description = "The user name" };
        var certificate = new Argument<string?>("CERT") { Description = "A certificate file or SHA-256 fingerprint; without it, every binding", Arity = ArgumentArity.ZeroOrOne };
        var common = new FileOptions();
        var command = new Command("unbind-cert", "Remove a certificate binding from a user") { name, certificate };
        common.AddTo(command);
        command.SetAction(parse => common.Run(parse, c => UserActions.UnbindCertificate(c, parse.GetValue(name)!, parse.GetValue(certificate))));
        return command;
    }

    private sealed class EquivalentOptions
    {
        public Option<bool> Store { get; } = new("--password-equivalent")
        {
            Description = "Also store the password-equivalent secret CRAM-MD5 and DIGEST-MD5 need (whoever reads the file can log in as the user)",
        };

        public Option<bool> Drop { get; } = new("--no-password-equivalent") { Description = "Remove a stored password-equivalent secret" };
    }

    private sealed class FileOptions
    {
        private readonly Option<string?> _config = CommonOptions.Config();
        private readonly Option<string?> _dataDir = CommonOptions.DataDir();
        private readonly Option<string?> _usersFile = new("--users-file") { Description = "The users file; default: auth.users_file (a file, or pgsql:TABLE in [database]), else users in the data directory" };

        public void AddTo(Command command)
        {
            command.Options.Add(_config);
            command.Options.Add(_dataDir);
            command.Options.Add(_usersFile);
        }

        public int Run(ParseResult parse, Func<UserCommandContext, int> action)
        {
            var usersFile = parse.GetValue(_usersFile);
            var equivalentEnabled = false;
            Npgsql.NpgsqlDataSource? database = null;
            string? table = null;
            if (string.IsNullOrEmpty(usersFile) || parse.GetValue(_config) is not null)
            {
                var result = ConfigurationLoader.Load(parse.GetValue(_config), parse.GetValue(_dataDir), Environment.GetEnvironmentVariable);
                if (!result.Succeeded)
                {
                    return ConfigurationErrors.Report(result, Console.Error, "users not changed");
                }
                // auth.users_file = "pgsql:NAME" (and no --users-file): the users table every node reads.
                if (string.IsNullOrEmpty(usersFile) && result.Configuration.Server.Auth.UsersTable is { } configured && result.Configuration.Database is { } options)
                {
                    table = configured;
                    database = DatabaseConnection.CreatePool(options with { MaxConnections = 2 });
                }
                usersFile = string.IsNullOrEmpty(usersFile) ? UsersFilePath.Of(result.Configuration) : usersFile;
                equivalentEnabled = result.Configuration.Server.Auth.Mechanisms.Any(SaslServerMechanisms.NeedsPasswordEquivalent);
            }
            using (database)
            {
                var context = new UserCommandContext(UsersFilePath.Resolve(usersFile, Environment.CurrentDirectory), PasswordInput.ReadNew, Console.Out, Console.Error)
                {
                    PasswordEquivalentMechanismsEnabled = equivalentEnabled,
                    Table = database is null ? null : new UserTable(database, table!),
                };
                return action(context);
            }
        }
    }
}
