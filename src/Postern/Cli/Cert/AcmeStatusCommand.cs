using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Postern.Config;
using Postern.Pki.Acme;

namespace Postern.Cli.Cert;

/// <summary>
/// <c>postern cert acme status [--json]</c>: the account, the names, each live certificate
/// (expiry, serial, issuer), the next renewal and why, the last attempt and error and the failures
/// in a row; read from the files, so it needs no running daemon.
/// </summary>
internal static class AcmeStatusCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var json = new Option<bool>("--json") { Description = "Print the status as JSON" };
        var command = new Command("status", "The ACME account, certificates, next renewal and last error, read from DATA_DIR/acme (no daemon needed)") { json, config, dataDir };
        command.SetAction(parse =>
        {
            var loaded = ConfigurationLoader.LoadForLocalUse(parse.GetValue(config), parse.GetValue(dataDir), Environment.GetEnvironmentVariable);
            return loaded.Succeeded
                ? Run(loaded.Configuration, parse.GetValue(json), TimeProvider.System, Console.Out, Console.Error)
                : ConfigurationErrors.Report(loaded, Console.Error, consequence: null);
        });
        return command;
    }

    internal static int Run(PosternConfiguration configuration, bool json, TimeProvider clock, TextWriter output, TextWriter error)
    {
        if (AcmeCommand.OptionsOf(configuration, "status", error) is not { } options)
        {
            return ExitCodes.Config;
        }
        AcmeStatusReport report;
        try
        {
            report = AcmeStatusReport.Read(options, clock.GetUtcNow());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"postern: cert acme status: {e.Message}");
            return ExitCodes.IoError;
        }
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(report, AcmeStatusJsonContext.Default.AcmeStatusReport));
        }
        else
        {
            Write(report, options, output);
        }
        return ExitCodes.Ok;
    }

    private static void Write(AcmeStatusReport report, AcmeOptions options, TextWriter output)
    {
        output.WriteLine($"directory:      {report.Directory}");
        output.WriteLine($"account:        {report.AccountUrl ?? "none yet (`postern cert acme register`, or the daemon's first order, creates it)"}");
        output.WriteLine($"domains:        {string.Join(", ", report.Domains)}");
        output.WriteLine($"challenge:      {report.Challenge}{ChallengeWhere(options)}");
        foreach (var certificate in report.Certificates)
        {
            if (!certificate.Present)
            {
                output.WriteLine($"{certificate.KeyType + ":",-15} none yet ({certificate.File})");
                continue;
            }
            output.WriteLine($"{certificate.KeyType + ":",-15} serial {certificate.Serial}, issued by {certificate.Issuer}, valid until {Time(certificate.NotAfter)} ({certificate.DaysLeft} days left)");
            output.WriteLine($"                names {string.Join(", ", certificate.Names)}, file {certificate.File}");
            if (certificate.AriWindowStart is { } start && certificate.AriWindowEnd is { } end)
            {
                output.WriteLine($"                ARI window {Time(start)} .. {Time(end)}{(certificate.AriExplanation is { } why ? ", explained at " + why : "")}");
            }
        }
        output.WriteLine($"next renewal:   {(report.NextRenewal is { } next ? $"{Time(next)} ({report.NextRenewalReason})" : "at the daemon's next start (nothing recorded yet)")}");
        output.WriteLine($"last attempt:   {(report.LastAttempt is { } last ? $"{Time(last)}, {report.LastResult}" : "none")}");
        output.WriteLine($"last error:     {(report.LastError is { } lastError ? $"{Time(report.LastErrorAt)}: {lastError}" : "none")}");
        output.WriteLine($"failures:       {report.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture)} in a row");
    }

    private static string ChallengeWhere(AcmeOptions options) => options.Challenge switch
    {
        AcmeChallengeType.Http01 => $" on {options.HttpListen}",
        AcmeChallengeType.TlsAlpn01 => $" on {options.TlsAlpnListen}",
        _ => options.DnsUpdateServer is { } server ? $" through {server}" : "",
    };

    private static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + "Z" : "?";
}
