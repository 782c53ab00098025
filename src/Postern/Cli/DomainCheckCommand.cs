using System.CommandLine;
using Postern.Config;
using Postern.Tools.Check.Domain;

namespace Postern.Cli;

/// <summary>
/// <c>postern check --domain DOMAIN</c>: loads the configuration as the local commands do (its
/// resolvers, delivery.https_ca_file, [mta_sts] and the data directory's policy cache) and runs
/// the domain check. HOST:PORT and the server-check options do not combine with it.
/// </summary>
internal static class DomainCheckCommand
{
    public static async Task<int> RunAsync(
        string domain,
        ParseResult parse,
        Argument<string?> target,
        Option<string?> ca,
        Option<string> timeout,
        Option<string?> helo,
        Option<bool> json,
        Option<string?> config,
        Option<string?> dataDir,
        CancellationToken cancellationToken)
    {
        if (parse.GetValue(target) is not null)
        {
            Console.Error.WriteLine("postern: check: --domain and HOST:PORT exclude each other");
            return ExitCodes.Usage;
        }
        var loaded = ConfigurationLoader.LoadForLocalUse(parse.GetValue(config), parse.GetValue(dataDir), Environment.GetEnvironmentVariable);
        if (!loaded.Succeeded)
        {
            return ConfigurationErrors.Report(loaded, Console.Error, consequence: null);
        }
        var arguments = new DomainCheckArguments(domain)
        {
            CaFile = parse.GetValue(ca),
            Timeout = parse.GetValue(timeout)!,
            Helo = parse.GetValue(helo),
            Json = parse.GetValue(json),
        };
        return await DomainCheckRunner.RunAsync(arguments, loaded.Configuration, TimeProvider.System, Console.Out, Console.Error, cancellationToken);
    }
}
