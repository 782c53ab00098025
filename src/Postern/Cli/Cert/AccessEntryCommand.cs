using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Config;
using Postern.Pki.Certificates;
using Postern.Policy.Access;
using Postern.Tools.Cert;

namespace Postern.Cli.Cert;

/// <summary>
/// <c>postern cert access-entry FILE</c>: the access-map lines for a certificate, replacing the
/// seeds' <c>openssl x509 -noout -issuer -nameopt compat | sed</c> pipeline; with <c>--apply</c>
/// written into the configured access map (file or <c>pgsql:</c> table) instead.
/// </summary>
internal static class AccessEntryCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A certificate in PEM (the first one in the file) or DER" };
        var subject = new Option<bool>("--subject") { Description = "Also print the CERTSUBJECT: line (admits this certificate's subject only, with CERTISSUER: ... SUBJECT)" };
        var fingerprint = new Option<bool>("--fingerprint") { Description = "Print the CERTFP: line (this exact certificate)" };
        var spki = new Option<bool>("--spki") { Description = "Print the CERTSPKI: line (this public key; survives renewal with the same key)" };
        var apply = new Option<bool>("--apply") { Description = "Write the line(s) into the configured access map (policy.access_map: the file, or the pgsql: table every node sees at once) instead of printing them" };
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var accessEntry = new Command("access-entry", "Print the access-map line(s) that let this certificate's holder relay, or with --apply write them into the access map")
        {
            file, subject, fingerprint, spki, apply, config, dataDir,
        };
        accessEntry.SetAction(parse => parse.GetValue(apply)
            ? Apply(parse.GetValue(file)!, parse.GetValue(subject), parse.GetValue(fingerprint), parse.GetValue(spki), parse.GetValue(config), parse.GetValue(dataDir))
            : Run(parse.GetValue(file)!, parse.GetValue(subject), parse.GetValue(fingerprint), parse.GetValue(spki), Console.Out, Console.Error));
        return accessEntry;
    }

    /// <summary>--apply: the same lines, each set in the configured access map (file or table).</summary>
    private static int Apply(string path, bool subject, bool fingerprint, bool spki, string? configPath, string? dataDir)
    {
        using var lines = new StringWriter();
        var printed = Run(path, subject, fingerprint, spki, lines, Console.Error);
        if (printed != ExitCodes.Ok)
        {
            return printed;
        }
        return AccessCommand.Edit(configPath, dataDir, editor =>
        {
            foreach (var line in lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var (key, value) = (line[..line.IndexOf('\t', StringComparison.Ordinal)], line[(line.IndexOf('\t', StringComparison.Ordinal) + 1)..]);
                var result = editor.Add(key, value, Console.Out, Console.Error);
                if (result != ExitCodes.Ok)
                {
                    return result;
                }
            }
            return ExitCodes.Ok;
        });
    }

    internal static int Run(string path, bool subject, bool fingerprint, bool spki, TextWriter output, TextWriter error)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = CertificateFile.LoadFirst(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            error.WriteLine($"postern: cert: {path}: not a readable certificate: {e.Message}");
            return ExitCodes.DataError;
        }
        using (certificate)
        {
            var facts = CertificateFactsReader.Read(certificate);
            foreach (var line in Lines(facts, subject, fingerprint, spki))
            {
                output.WriteLine(line);
            }
        }
        return ExitCodes.Ok;
    }

    /// <summary>
    /// By default the issuer line (any certificate from that CA relays, as in the seeds); with
    /// --subject the issuer says SUBJECT and the subject line relays; --fingerprint and --spki pin
    /// this certificate or key instead.
    /// </summary>
    internal static IEnumerable<string> Lines(Core.Tls.CertificateFacts facts, bool subject, bool fingerprint, bool spki)
    {
        if (fingerprint)
        {
            yield return "CERTFP:sha256:" + facts.FingerprintSha256 + "\tRELAY";
        }
        if (spki)
        {
            yield return "CERTSPKI:sha256:" + facts.SpkiSha256 + "\tRELAY";
        }
        if (subject)
        {
            yield return "CERTISSUER:" + SendmailDnCodec.Encode(facts.Issuer) + "\tSUBJECT";
            yield return "CERTSUBJECT:" + SendmailDnCodec.Encode(facts.Subject) + "\tRELAY";
        }
        else if (!fingerprint && !spki)
        {
            yield return "CERTISSUER:" + SendmailDnCodec.Encode(facts.Issuer) + "\tRELAY";
        }
    }
}
