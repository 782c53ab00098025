using System.CommandLine;
using System.Globalization;
using Postern.Config;
using Postern.Pki.Authority;

namespace Postern.Cli.Cert;

/// <summary>
/// <c>postern cert list</c>: the certificates the CA issued, with their expiry. Exit status
/// <see cref="ExpiringExitCode"/> when any current certificate has expired or expires within
/// <c>--warn-days</c>, so cron or a monitoring check can call it as is.
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
                : Run(directory, parse.GetValue(warnDays), parse.GetValue(all), TimeProvider.System, Console.Out, Console.Error);
        });
        return command;
    }

    internal static int Run(string caDirectory, int warnDays, bool all, TimeProvider clock, TextWriter output, TextWriter error)
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
        catch (CaException e)
        {
            return CaErrors.Report(e, "list", error);
        }
        var now = clock.GetUtcNow();
        var shown = entries.Where(e => all || e.IsCurrent).ToList();
        if (shown.Count == 0)
        {
            output.WriteLine("no certificates issued yet");
            return ExitCodes.Ok;
        }
        var nameWidth = Math.Max(4, shown.Max(e => e.Name.Length));
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
        if (attention > 0)
        {
            error.WriteLine($"postern: cert list: {attention} certificate(s) expired or expiring within {warnDays} days; renew with `postern cert renew NAME`");
            return ExpiringExitCode;
        }
        return ExitCodes.Ok;
    }
}
