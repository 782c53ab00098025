using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Config;
using Postern.Core.Tls;
using Postern.Pki.Certificates;
using Postern.Pki.Tls;
using Postern.Tools.Cert;

namespace Postern.Cli.Cert;

/// <summary>
/// <c>postern cert show FILE</c>: what <c>openssl x509 -noout -text</c> and the seeds' <c>-nameopt compat</c>
/// show, in the forms the access map and the mail log use; with <c>--config</c>, whether the
/// certificate chains to the configured client CAs (<c>tls.ca_file</c>, <c>tls.ca_path</c>).
/// </summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A certificate in PEM (the first; the rest are taken as its chain) or DER" };
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var command = new Command("show", "Describe a certificate: names in sendmail and RFC 4514 form, validity, key, usages, SANs, fingerprints") { file, config, dataDir };
        command.SetAction(parse =>
        {
            TlsSettings? tls = null;
            if (parse.GetValue(config) is not null)
            {
                var configuration = CertConfiguration.Load(parse.GetValue(config), parse.GetValue(dataDir), Console.Error);
                if (configuration is null)
                {
                    return ExitCodes.Config;
                }
                tls = configuration.Tls;
            }
            return Run(parse.GetValue(file)!, tls, TimeProvider.System, Console.Out, Console.Error);
        });
        return command;
    }

    /// <summary>Prints the description; <paramref name="tls"/> (the configuration's TLS settings) adds the chain check, null skips it.</summary>
    internal static int Run(string path, TlsSettings? tls, TimeProvider clock, TextWriter output, TextWriter error)
    {
        X509Certificate2Collection certificates;
        try
        {
            certificates = CertificateFile.Load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            error.WriteLine($"postern: cert show: {path}: not a readable certificate: {e.Message}");
            return ExitCodes.DataError;
        }
        try
        {
            var leaf = certificates[0];
            var now = clock.GetUtcNow();
            CertificateReport report;
            try
            {
                report = CertificateInspector.Inspect(leaf);
            }
            catch (CryptographicException e)
            {
                error.WriteLine($"postern: cert show: {path}: malformed certificate: {e.Message}");
                return ExitCodes.DataError;
            }
            ShowFormat.Write(output, path, report, now);
            if (now < report.Facts.NotBefore || now >= report.Facts.NotAfter)
            {
                Warn(error, "the certificate is outside its validity period, so it cannot verify and the access map lines above never match");
            }
            if (tls is not null)
            {
                return WriteChain(output, error, leaf, [.. certificates.Skip(1)], tls, now);
            }
            // The lines above are ready to paste, but they only ever match a certificate that verifies.
            Warn(error, "not checked against the client CAs (no --config): the access map lines above match only a certificate that verifies (verify=OK) against tls.ca_file or tls.ca_path; add --config to check");
            return ExitCodes.Ok;
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>On stderr, so the access map lines on stdout stay ready to paste.</summary>
    private static void Warn(TextWriter error, string text) => error.WriteLine("postern: cert show: warning: " + text);

    private static int WriteChain(TextWriter output, TextWriter error, X509Certificate2 leaf, List<X509Certificate2> intermediates, TlsSettings tls, DateTimeOffset now)
    {
        var label = string.Join(", ", new[] { tls.CaFile, tls.CaPath }.OfType<string>());
        if (label.Length == 0)
        {
            ShowFormat.Line(output, "configured CA", "none (tls.ca_file and tls.ca_path unset)");
            Warn(error, "no client CA is configured (tls.ca_file, tls.ca_path): no client certificate can verify, so the access map lines above never match");
            return ExitCodes.Ok;
        }
        X509Certificate2Collection anchors;
        try
        {
            anchors = CaLoader.Load(tls.CaFile, tls.CaPath, []);
        }
        catch (TlsConfigurationException e)
        {
            error.WriteLine($"postern: cert show: {e.Message}");
            return ExitCodes.Config;
        }
        try
        {
            var problem = CertificateInspector.ChainProblem(leaf, intermediates, anchors, now);
            ShowFormat.Line(output, "configured CA", problem is null ? $"verifies (verify=OK) against {label}" : $"does NOT verify against {label}: {problem}");
            if (problem is not null)
            {
                Warn(error, $"the certificate does not verify against {label}, so the access map lines above never match");
            }
            return ExitCodes.Ok;
        }
        finally
        {
            foreach (var anchor in anchors)
            {
                anchor.Dispose();
            }
        }
    }
}
