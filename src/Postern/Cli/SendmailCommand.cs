using Postern.Config;
using Postern.Config.Loading;
using Postern.Tools.Sendmail;

namespace Postern.Cli;

/// <summary>
/// The sendmail personality: <c>postern sendmail ARGS</c>, or the binary invoked as
/// <c>sendmail</c>, <c>mailq</c> or <c>newaliases</c>. Parses sendmail's options and runs the mode.
/// The configuration comes from <c>-C file</c> (or <c>--config</c>), else <c>$POSTERN_CONFIG</c>,
/// else <c>/etc/postern/postern.toml</c> when it exists, else the embedded default: programs that
/// call /usr/sbin/sendmail pass no Postern options.
/// </summary>
internal static class SendmailCommand
{
    public static async Task<int> RunAsync(string personality, IReadOnlyList<string> args, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var parsed = SendmailArgumentParser.Parse(personality, args);
        if (parsed.Options is not { } options)
        {
            await Console.Error.WriteLineAsync($"{personality}: {parsed.Error}");
            await Console.Error.WriteLineAsync($"{personality}: usage: sendmail [-t] [-i] [-f sender] [-F name] [-bm|-bs|-bp|-bv|-bt|-bd|-bi] [-q[Rdomain]] [-C config] [recipient ...]; see docs/sendmail-command.md");
            return ExitCodes.Usage;
        }
        if (options.Verbose && options.Ignored.Count > 0)
        {
            await Console.Error.WriteLineAsync($"{personality}: ignored (no effect in Postern): {string.Join(' ', options.Ignored)}");
        }
        if (options.ShowVersion)
        {
            VersionCommand.Write(Console.Out, features: true);
            if (options.Mode is SendmailMode.Submit or SendmailMode.Verify && options.Arguments.Count == 0 && !options.ExtractRecipients)
            {
                return ExitCodes.Ok;
            }
        }
        var configPath = SendmailConfiguration.PathFor(options, environment);
        if (options.Mode == SendmailMode.Daemon)
        {
            return await ServeCommand.RunAsync(configPath, options.DataDirectory);
        }
        if (options.Mode == SendmailMode.ListQueue)
        {
            return await QueueCommand.ListAsync(configPath, options.DataDirectory, cancellationToken);
        }
        var loaded = ConfigurationLoader.LoadForLocalUse(configPath, options.DataDirectory, environment);
        if (!loaded.Succeeded)
        {
            return ConfigurationErrors.Report(loaded, Console.Error, "nothing done");
        }
        var configuration = loaded.Configuration;
        switch (options.Mode)
        {
            case SendmailMode.ProcessQueue:
                return QueueControl.Flush(options.QueueDomain, configuration.Queue, configuration.DataDirectory, Console.Out, Console.Error);
            case SendmailMode.NewAliases:
                return NewAliases.Run(configuration, options.Verbose, Console.Out, Console.Error);
        }
        if (LocalDirectoryLoader.TryLoad(configuration.Local, Console.Error) is not { } directory)
        {
            return ExitCodes.Config;
        }
        switch (options.Mode)
        {
            case SendmailMode.Verify:
                if (options.Arguments.Count == 0)
                {
                    await Console.Error.WriteLineAsync($"{personality}: recipient names must be specified");
                    return ExitCodes.Usage;
                }
                return AddressVerifier.Run(configuration, directory, options.Arguments, Console.Out);
            case SendmailMode.AddressTest:
                if (AccessMapLoader.TryLoad(configuration.RelayPolicy.AccessMapFile, Console.Error) is not { } map)
                {
                    return ExitCodes.Config;
                }
                return new AddressTestMode(configuration, directory, map, Console.Out).Run(Console.In);
            case SendmailMode.SmtpSession:
                return await SmtpOnStdio.RunAsync(configuration, directory, Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error, cancellationToken);
            default:
                return await SubmitMode.RunAsync(personality, options, configuration, directory, cancellationToken);
        }
    }
}
