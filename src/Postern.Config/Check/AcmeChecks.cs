using Postern.Config.Lint;
using Postern.Pki.Acme.Dns;

namespace Postern.Config.Check;

/// <summary>
/// <c>config check</c> for <c>[acme]</c>: the files it names, read as the daemon reads them
/// (directory_ca_file must hold PEM certificates, dns_tsig_key_file must be a TSIG key), the
/// warnings about settings that work but do not do what they suggest, and the summary line.
/// </summary>
internal static class AcmeChecks
{
    /// <summary>Reads the named files; false after printing the error (at the key's line).</summary>
    public static bool LoadFiles(PosternConfiguration configuration, TextWriter errors)
    {
        if (configuration.Acme is not { } acme)
        {
            return true;
        }
        if (HttpsCaCheck.Load(acme.DirectoryCaFile) is { } caError)
        {
            errors.WriteLine(TlsErrorReport.Describe(configuration, caError));
            return false;
        }
        if (acme.DnsTsigKeyFile is { } keyFile)
        {
            try
            {
                TsigKeyFile.Load(keyFile);
            }
            catch (TsigKeyFileException e)
            {
                // The key file's own file:line says what is wrong; the configuration's line says who named it.
                errors.WriteLine(configuration.Files.TryFind(keyFile, out var key, out var location)
                    ? new ConfigError(configuration.Source, location.Line, location.Column, key, e.Message).ToString()
                    : "acme: " + e.Message);
                return false;
            }
        }
        return true;
    }

    public static IEnumerable<ConfigWarning> Warnings(PosternConfiguration configuration)
    {
        if (configuration.Acme is null)
        {
            yield break;
        }
        if (configuration.Tls.ServerCertificates.Count > 0)
        {
            yield return new ConfigWarning("acme",
                "tls.server_cert is set, so it is the server certificate and the ACME certificate is not served"
                + (configuration.Tls.ClientCertificateFromAcme ? " (it serves only tls.client_cert = \"acme\")" : "; remove tls.server_cert to serve it, or [acme] if it is not needed"));
        }
    }

    public static string? Summary(PosternConfiguration configuration)
    {
        if (configuration.Acme is not { } acme)
        {
            return null;
        }
        var challenge = AcmeBinder.Challenges.First(c => c.Value == acme.Challenge).Key;
        var files = string.Join(", ", configuration.Tls.AcmeCertificates.Select(c => c.CertificateFile));
        return $"  acme: {acme.DirectoryUrl} for {string.Join(", ", acme.Domains)} ({challenge}), certificate in {files}";
    }
}
