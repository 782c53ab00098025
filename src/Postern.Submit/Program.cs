using Postern.Config;
using Postern.Config.Loading;
using Postern.Tools.Sendmail;

namespace Postern.Submit;

/// <summary>
/// The native <c>sendmail</c> (also linked as <c>mailq</c> and <c>newaliases</c>). The calls a
/// machine makes once per message, submission (<c>-bm</c>, <c>-t</c>) and <c>newaliases</c>, run
/// here with Postern.Tools' code; every other mode (and a command line it cannot parse, for the
/// same usage message) is handed to the <c>postern</c> binary beside it, which answers exactly as
/// <c>postern sendmail</c> does.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var personality = Personality.FromProcess() ?? "sendmail";
        var parsed = SendmailArgumentParser.Parse(personality, args);
        if (parsed.Options is not { } options || !RunsHere(options))
        {
            return PosternBinary.Exec(personality, args);
        }
        if (options.Verbose && options.Ignored.Count > 0)
        {
            await Console.Error.WriteLineAsync($"{personality}: ignored (no effect in Postern): {string.Join(' ', options.Ignored)}");
        }
        var configPath = SendmailConfiguration.PathFor(options, Environment.GetEnvironmentVariable);
        var loaded = ConfigurationLoader.LoadForLocalUse(configPath, options.DataDirectory, Environment.GetEnvironmentVariable);
        if (!loaded.Succeeded)
        {
            return ConfigurationErrors.Report(loaded, Console.Error, "nothing done");
        }
        var configuration = loaded.Configuration;
        if (options.Mode == SendmailMode.NewAliases)
        {
            return NewAliases.Run(configuration, options.Verbose, Console.Out, Console.Error);
        }
        if (LocalDirectoryLoader.TryLoad(configuration.Local, Console.Error) is not { } directory)
        {
            return ExitCodes.Config;
        }
        return await SubmitMode.RunAsync(personality, options, configuration, directory, CancellationToken.None);
    }

    /// <summary>Submission and newaliases; -d0.1 (the version and features) is postern's to print.</summary>
    private static bool RunsHere(SendmailOptions options) =>
        !options.ShowVersion && options.Mode is SendmailMode.Submit or SendmailMode.NewAliases;
}
