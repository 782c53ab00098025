using System.CommandLine;
using Postern.Config;
using Postern.Tools.TlsReports;

namespace Postern.Cli;

/// <summary>
/// <c>postern tls-report show [--json]</c>: the TLS-RPT counts waiting to be reported, read from
/// the data directory directly (see <see cref="TlsReportShow"/>).
/// </summary>
internal static class TlsReportCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var json = new Option<bool>("--json") { Description = "Print the counts as JSON (the files' own form)" };
        var show = new Command("show", "Show the TLS-RPT counts waiting to be reported: per period, domain and policy, with failures and report tries") { json, config, dataDir };
        show.SetAction(parse =>
        {
            var loaded = ConfigurationLoader.LoadForLocalUse(parse.GetValue(config), parse.GetValue(dataDir), Environment.GetEnvironmentVariable);
            return loaded.Succeeded
                ? TlsReportShow.Run(loaded.Configuration.TlsReporting, parse.GetValue(json), Console.Out, Console.Error, TimeProvider.System)
                : ConfigurationErrors.Report(loaded, Console.Error, consequence: null);
        });
        return new Command("tls-report", "TLS-RPT (RFC 8460): the outbound TLS session counts waiting to be reported") { show };
    }
}
