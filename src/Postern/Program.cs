using System.CommandLine;
using Postern.Cli;

namespace Postern;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Postern: a mail transfer agent with TLS, authenticated relaying and certificates done right")
        {
            ServeCommand.Create(),
            ConfigCheckCommand.Create(),
            QueueCommand.Create(),
            VersionCommand.Create(),
            CertCommand.Create(),
            AccessCommand.Create(),
            UserCommand.Create(),
            Cli.Check.CheckCommand.Create(),
        };
        // The serve command handles SIGINT/SIGTERM itself (graceful shutdown); the parser must not.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
