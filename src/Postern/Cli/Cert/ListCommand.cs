using System.CommandLine;
using System.Globalization;
using Postern.Config;
using Postern.Pki.Acme;
using Postern.Pki.Acme.Issuance;
using Postern.Pki.Authority;

namespace Postern.Cli.Cert;

/// <summary>
/// <c>postern cert list</c>: the certificates the CA issued, with their expiry. Exit status
/// <see cref="ExpiringExitCode"/> when any current certificate has expired or expires within
/// <c>--warn-days</c>, so cron or a monitoring check can call it as is. With <c>[acme]</c> the
/// live ACME certificates are listed too, with a warning when renewal has been failing or one
/// expires within 14 days.
/// </summary>
internal static class ListCommand
{
    /// <summary>Like <c>openssl x509 -checkend</c>: 1 = something needs renewing.</summary>
    public const int ExpiringExitCode = 1;

    public const int DefaultWarnDays = 30;

    public static Command Create()
    {
        var location = new CaDirectoryOptions();
        var warnDays = new Option<int>("--warn-days") { Description = "Flag certificates with fewer days left than this", DefaultValueFactory = _ => DefaultWarnDays };
        var all = new Option<bool>("--all") { Description = "Also list certificates replaced by a renewal" };
        var command = new Command("list", $"List issued certificates and their expiry; exit {ExpiringExitCode} when any has expired or is within --warn-days") { warnDays, all };
        location.AddTo(command);
        command.SetAction(parse =>
        {
            var directory = location.Resolve(parse, Console.Error);
            return directory is null
                ? ExitCodes.Config
                : Run(directory, parse.GetValue(warnDays), parse.GetValue(all), AcmeOf(location, parse), TimeProvider.System, Console.Out, Console.Error);
        });
        return command;
    }

    /// <summary>The [acme] section of the configuration the command reads, if it loads and has one.</summary>
    private static AcmeOptions? AcmeOf(CaDirectoryOptions location, ParseResult parse)
    {
        var loaded = ConfigurationLoader.LoadForLocalUse(parse.GetValue(location.Config), parse.GetValue(location.DataDir), Environment.GetEnvironmentVariable);
        return loaded.Succeeded ? loaded.Configuration.Acme : null;
    }

    internal static int Run(string caDirectory, int warnDays, bool all, TimeProvider clock, TextWriter output, TextWriter error) =>
        Run(caDirectory, warnDays, all, acme: null, clock, output, error);

    internal static int Run(string caDirectory, int warnDays, bool all, AcmeOptions? acme, TimeProvider clock, TextWriter output, TextWriter error)
    {
        if (warnDays < 0)
        {
            error.WriteLine($"postern: cert list: --warn-days {warnDays}: must not be negative");
            return ExitCodes.Usage;
        }
        IReadOnlyList<CaIndexEntry> entries;
        try
        {
            using var ca = CertificateAuthority.Open(caDirectory);
            entries = ca.Entries();
        }
        catch (CaException e) when (acme is null || e.Kind != CaErrorKind.NotFound)
        {
            return CaErrors.Report(e, "list", error);
        }
        catch (CaException)
        {
            // No local CA, but [acme]: its certificates are the list.
            entries = [];
        }
        var now = clock.GetUtcNow();
        var shown = entries.Where(e => all || e.IsCurrent).ToList();
        var acmeRows = acme is null ? [] : AcmeRows(acme, now, warnDays);
        if (shown.Count == 0 && acmeRows.Count == 0)
        {
            output.WriteLine("no certificates issued yet");
            return AcmeWarnings(acme, now, error) ? ExpiringExitCode : ExitCodes.Ok;
        }
        var nameWidth = Math.Max(4, shown.Select(e => e.Name.Length).Concat(acmeRows.Select(r => r.Name.Length)).Max());
        output.WriteLine($"{"NAME".PadRight(nameWidth)}  KIND    SERIAL            NOT AFTER             DAYS  STATE");
        var attention = 0;
        foreach (var entry in shown)
        {
            var state = ExpiryCheck.State(entry.NotAfter, now, warnDays);
            var label = !entry.IsCurrent ? "replaced"
                : state switch { ExpiryState.Expired => "EXPIRED", ExpiryState.Expiring => "EXPIRING", _ => "ok" };
            if (entry.IsCurrent && state != ExpiryState.Valid)
            {
                attention++;
            }
            var days = ExpiryCheck.DaysLeft(entry.NotAfter, now).ToString(CultureInfo.InvariantCulture);
            var notAfter = entry.NotAfter.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z";
            output.WriteLine($"{entry.Name.PadRight(nameWidth)}  {entry.Kind.ToString().ToLowerInvariant(),-6}  {entry.Serial,-16}  {notAfter}  {days,4}  {label}");
        }
        foreach (var row in acmeRows)
        {
            output.WriteLine($"{row.Name.PadRight(nameWidth)}  {row.Kind,-6}  {row.Serial,-16}  {row.NotAfter}  {row.Days,4}  {row.State}");
        }
        var acmeFailing = AcmeWarnings(acme, now, error);
        if (attention > 0)
        {
            error.WriteLine($"postern: cert list: {attention} certificate(s) expired or expiring within {warnDays} days; renew with `postern cert renew NAME`");
            return ExpiringExitCode;
        }
        return acmeFailing || acmeRows.Any(r => r.State != "ok") ? ExpiringExitCode : ExitCodes.Ok;
    }

    /// <summary>The live ACME certificates as rows of the table: kind "acme", named by the first domain and the key type.</summary>
    private static List<(string Name, string Kind, string Serial, string NotAfter, string Days, string State)> AcmeRows(AcmeOptions acme, DateTimeOffset now, int warnDays)
    {
        var store = new AcmeStore(new AcmeLayout(acme.Directory));
        var rows = new List<(string, string, string, string, string, string)>();
        foreach (var keyType in AcmeKeyTypeNames.Each(acme.KeyTypes))
        {
            using var leaf = store.ReadLiveLeaf(keyType);
            if (leaf is null)
            {
                continue;
            }
            var live = AcmeCertificate.From(keyType, leaf);
            var state = ExpiryCheck.State(live.NotAfter, now, warnDays) switch { ExpiryState.Expired => "EXPIRED", ExpiryState.Expiring => "EXPIRING", _ => "ok" };
            var notAfter = live.NotAfter.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z";
            rows.Add(($"{acme.Domains[0]} ({AcmeKeyTypeNames.Name(keyType)})", "acme", live.Serial, notAfter, ExpiryCheck.DaysLeft(live.NotAfter, now).ToString(CultureInfo.InvariantCulture), state));
        }
        return rows;
    }

    /// <summary>Prints ACME's warnings (renewal failing, within 14 days of the end); true when there were any.</summary>
    private static bool AcmeWarnings(AcmeOptions? acme, DateTimeOffset now, TextWriter error)
    {
        if (acme is null)
        {
            return false;
        }
        var warnings = AcmeHealth.Warnings(acme, now);
        foreach (var warning in warnings)
        {
            error.WriteLine($"postern: cert list: warning: {warning}");
        }
        return warnings.Count > 0;
    }
}
