using System.CommandLine;
using Postern.Config;
using Postern.Pki.Authority;

namespace Postern.Cli.Cert;

/// <summary>
/// <c>postern cert renew NAME</c>: the same subject and SANs, a new validity, over the same files.
/// The key is kept unless <c>--new-key</c>, so CERTSPKI entries survive; it says which access-map
/// entries of the old certificate still match the new one.
/// </summary>
internal static class RenewCommand
{
    public static Command Create()
    {
        var location = new CaDirectoryOptions();
        var name = new Argument<string>("NAME") { Description = "The issued certificate's name (see `postern cert list`)" };
        var days = new Option<int?>("--days") { Description = "Validity in days (default: as first issued)" };
        var newKey = new Option<bool>("--new-key") { Description = "Make a new key too (CERTSPKI entries then need updating)" };
        var command = new Command("renew", "Re-issue a certificate from the CA index with the same subject and names") { name, days, newKey };
        location.AddTo(command);
        command.SetAction(parse =>
        {
            var directory = location.Resolve(parse, Console.Error);
            return directory is null
                ? ExitCodes.Config
                : Run(directory, parse.GetValue(name)!, parse.GetValue(days), parse.GetValue(newKey), TimeProvider.System, Console.Out, Console.Error);
        });
        return command;
    }

    internal static int Run(string caDirectory, string name, int? days, bool newKey, TimeProvider clock, TextWriter output, TextWriter error)
    {
        try
        {
            using var ca = CertificateAuthority.Open(caDirectory);
            var renewed = ca.Renew(name, days, newKey, clock);
            var (previous, current) = (renewed.Previous, renewed.Current);
            output.WriteLine($"renewed {previous.Name}: serial {previous.Serial} -> {current.Serial}, valid until {current.NotAfter:yyyy-MM-dd HH:mm:ss}Z, {(renewed.KeyKept ? "same key" : "new key")}");
            output.WriteLine($"  certificate: {current.CertificateFile}");
            output.WriteLine($"  key:         {current.KeyFile}{(renewed.KeyKept ? " (unchanged)" : " (new, mode 0600)")}");
            if (renewed.ShortenedToCaExpiry)
            {
                error.WriteLine($"warning: validity cut to the CA's own end ({current.NotAfter:yyyy-MM-dd}); renew the CA before then");
            }
            output.WriteLine("access-map entries for the old certificate:");
            foreach (var line in AccessMapImpact(previous, current))
            {
                output.WriteLine("  " + line);
            }
            return ExitCodes.Ok;
        }
        catch (CaException e)
        {
            return CaErrors.Report(e, "renew", error);
        }
    }

    /// <summary>Each kind of entry the old certificate matched, and whether the new one still does (compared, not assumed).</summary>
    internal static IEnumerable<string> AccessMapImpact(CaIndexEntry previous, CaIndexEntry current)
    {
        static string Encode(string dn) => Policy.Access.SendmailDnCodec.Encode(dn);
        yield return Verdict("CERTISSUER:" + Encode(previous.Issuer), previous.Issuer == current.Issuer, "CERTISSUER:" + Encode(current.Issuer));
        yield return Verdict("CERTSUBJECT:" + Encode(previous.Subject), previous.Subject == current.Subject, "CERTSUBJECT:" + Encode(current.Subject));
        yield return Verdict("CERTSPKI:sha256:" + previous.SpkiSha256, previous.SpkiSha256 == current.SpkiSha256, "CERTSPKI:sha256:" + current.SpkiSha256);
        yield return Verdict("CERTFP:sha256:" + previous.FingerprintSha256, previous.FingerprintSha256 == current.FingerprintSha256, "CERTFP:sha256:" + current.FingerprintSha256);
    }

    private static string Verdict(string entry, bool matches, string replacement) =>
        matches ? $"{entry}\tstill matches" : $"{entry}\tno longer matches; replace it with {replacement}";
}
