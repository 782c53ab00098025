using System.CommandLine;
using System.CommandLine.Invocation;
using Postern.Cli;
using Postern.Cli.Help;
using Postern.Config;
using Postern.Tools.Sendmail;

namespace Postern;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Invoked as sendmail, mailq or newaliases (a symlink), or `postern sendmail ...`: sendmail's
        // option syntax, which the command tree below cannot parse.
        if (Personality.FromProcess() is { } personality)
        {
            return await SendmailCommand.RunAsync(personality, args, Environment.GetEnvironmentVariable, CancellationToken.None);
        }
        if (args.Length > 0 && Personality.Names.Contains(args[0]))
        {
            return await SendmailCommand.RunAsync(args[0], args[1..], Environment.GetEnvironmentVariable, CancellationToken.None);
        }
        var parse = CreateRootCommand().Parse(args);
        // The serve command handles SIGINT/SIGTERM itself (graceful shutdown); the parser must not.
        var exit = await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
        // System.CommandLine answers a command line it cannot parse with 1, which `check` and
        // `access check` use for "found something": a usage error is EX_USAGE, as in sendmail.
        return parse.Action is ParseErrorAction ? ExitCodes.Usage : exit;
    }

    /// <summary>The command tree (also for tests: help, completion and descriptions are checked against it).</summary>
    internal static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("Postern: a mail transfer agent with TLS, authenticated relaying and certificates done right")
        {
            ServeCommand.Create(),
            ConfigCheckCommand.Create(),
            QueueCommand.Create(),
            VersionCommand.Create(),
            CertCommand.Create(),
            AccessCommand.Create(),
            DbCommand.Create(),
            UserCommand.Create(),
            DkimCommand.Create(),
            CheckCommand.Create(),
            TlsReportCommand.Create(),
            CompletionCommand.Create(),
        };
        ManHelp.Install(root);
        return root;
    }
}
