using System.CommandLine;
using Postern.Config;
using Postern.Pki.Certificates;
using Postern.Pki.Tls;
using Postern.Tools.Cert;

namespace Postern.Cli.Cert;

/// <summary>
/// <c>postern cert selfsigned</c>: Debian's <c>update_tls new</c> (seed 000) and seed 002's
/// <c>openssl req -new -x509</c>: a small CA of its own and a server certificate for the host, in
/// the directory <c>serve</c> uses when no certificate is configured.
/// </summary>
internal static class SelfSignedCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var host = new Option<string?>("--host") { Description = "The server's host name (default: server.host_name)" };
        var directory = new Option<string?>("--dir") { Description = "Where ca.pem, ca.key, server.pem, server.key go (default: DATA_DIR/tls, what serve uses without tls.server_cert)" };
        var force = new Option<bool>("--force") { Description = "Replace existing files (update_tls new)" };
        var command = new Command("selfsigned", "A self-made certificate for a server, with a CA of its own, as `update_tls new` makes") { host, directory, force, config, dataDir };
        command.SetAction(parse =>
        {
            var hostName = parse.GetValue(host);
            var target = parse.GetValue(directory);
            if (hostName is null || target is null)
            {
                var configuration = CertConfiguration.Load(parse.GetValue(config), parse.GetValue(dataDir), Console.Error);
                if (configuration is null)
                {
                    return ExitCodes.Config;
                }
                hostName ??= configuration.Server.HostName;
                target ??= configuration.Tls.GeneratedCertificateDirectory;
            }
            return Run(Path.GetFullPath(target), hostName, parse.GetValue(force), TimeProvider.System, Console.Out, Console.Error);
        });
        return command;
    }

    internal static int Run(string directory, string hostName, bool force, TimeProvider clock, TextWriter output, TextWriter error)
    {
        var existing = new[] { SelfSignedCertificateGenerator.ServerCertificateName, SelfSignedCertificateGenerator.ServerKeyName, SelfSignedCertificateGenerator.CaCertificateName, SelfSignedCertificateGenerator.CaKeyName }
            .Select(name => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
        if (existing is not null && !force)
        {
            error.WriteLine($"postern: cert selfsigned: {existing}: already exists; not overwritten (--force replaces the set)");
            return ExitCodes.CannotCreate;
        }
        try
        {
            var generated = SelfSignedCertificateGenerator.Regenerate(directory, hostName, clock);
            using var server = CertificateFile.LoadFirst(generated.Files.CertificateFile);
            var facts = CertificateFactsReader.Read(server);
            output.WriteLine($"created a certificate for {hostName}, signed by its own CA ({SelfSignedCertificateGenerator.CaCommonName(hostName)})");
            output.WriteLine($"  certificate: {generated.Files.CertificateFile} (tls.server_cert)");
            output.WriteLine($"  key:         {generated.Files.KeyFile} (tls.server_key, mode 0600)");
            output.WriteLine($"  CA:          {generated.CaCertificateFile} (give it to clients that should verify this server)");
            output.WriteLine($"  valid until: {facts.NotAfter:yyyy-MM-dd HH:mm:ss}Z");
            return ExitCodes.Ok;
        }
        catch (TlsConfigurationException e)
        {
            error.WriteLine($"postern: cert selfsigned: {e.Message}");
            return ExitCodes.CannotCreate;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"postern: cert selfsigned: {directory}: {e.Message}");
            return ExitCodes.CannotCreate;
        }
    }
}
