using Postern.Config;
using Postern.Tests.Config.Lint;

namespace Postern.Tests.Config.Check;

/// <summary>
/// <c>config check</c> with <c>[acme]</c>: its files read as the daemon reads them, the warning about a
/// server certificate configured beside it, the summary line; and <c>config show</c> of the section.
/// </summary>
public sealed class AcmeCheckTests : IDisposable
{
    // The run's file has [server] on lines 1-3 and a blank line 4: the body starts on line 5.
    private const string Directory = "[acme]\ndirectory = \"https://127.0.0.1:14000/dir\"\n";
    private const string Secret = "nH9H3oVPtZo6F9bQU4qKzn7+E4IkK7G4ob6pksET7Wo=";
    private readonly ConfigCheckRun run = new();

    public void Dispose() => run.Dispose();

    [Fact]
    public void The_summary_names_the_directory_the_names_the_challenge_and_the_live_file()
    {
        var (exit, output, errors) = run.Check(Directory + "domains = [\"mx.test.example\", \"smtp.test.example\"]\n");

        Assert.True(exit == 0, errors);
        Assert.Contains($"  acme: https://127.0.0.1:14000/dir for mx.test.example, smtp.test.example (http-01), certificate in {run.Combine("acme", "live", "ecdsa.pem")}\n", output, StringComparison.Ordinal);
        Assert.Contains($"  tls certificate: from ACME, generated in {run.Combine("tls")} until issued\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_ca_file_without_certificates_is_an_error_at_its_line()
    {
        var file = run.WriteFile("not-a-ca.pem", "hello\n");

        var (exit, _, errors) = run.Check(Directory + $"directory_ca_file = \"{file}\"\n");

        Assert.Equal(ExitCodes.Config, exit);
        Assert.Contains($"postern.toml:7:1: acme.directory_ca_file: {file}: holds no PEM certificate", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_ca_file_of_certificates_passes()
    {
        using var ca = Postern.Tests.Pki.TestCertificates.CreateRootCa("CN=pebble test CA");
        var file = run.WriteFile("pebble-ca.pem", ca.ExportCertificatePem() + "\n");

        var (exit, _, errors) = run.Check(Directory + $"directory_ca_file = \"{file}\"\n");

        Assert.True(exit == 0, errors);
    }

    [Fact]
    public void A_tsig_key_file_that_is_no_key_is_an_error_naming_both_places()
    {
        var key = run.WriteFile("acme.tsig", "key \"acme\" {\n algorithm hmac-md5;\n secret \"" + Secret + "\";\n};\n");

        var (exit, _, errors) = run.Check(Directory + $"challenge = \"dns-01\"\ndns_update_server = \"127.0.0.1:5353\"\ndns_tsig_key_file = \"{key}\"\n");

        Assert.Equal(ExitCodes.Config, exit);
        Assert.Contains($"postern.toml:9:1: acme.dns_tsig_key_file: {key}:", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tsig_key_file_in_knsupdate_form_passes()
    {
        var key = run.WriteFile("acme.tsig", $"hmac-sha256:acme-key:{Secret}\n");

        var (exit, output, errors) = run.Check(Directory + $"challenge = \"dns-01\"\ndns_update_server = \"127.0.0.1:5353\"\ndns_tsig_key_file = \"{key}\"\n");

        Assert.True(exit == 0, errors);
        Assert.Contains("(dns-01)", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output + errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_cert_beside_acme_is_a_warning_that_says_which_serves()
    {
        PemFiles.Write(run.Combine("server.pem"), null);

        var (exit, _, errors) = run.Check($"[tls]\nserver_cert = \"{run.Combine("server.pem")}\"\n" + Directory);
        var (_, _, clientErrors) = run.Check($"[tls]\nserver_cert = \"{run.Combine("server.pem")}\"\nclient_cert = \"acme\"\n" + Directory);

        Assert.True(exit == 0, errors);
        Assert.Contains("warning: acme: tls.server_cert is set, so it is the server certificate and the ACME certificate is not served; remove tls.server_cert", errors, StringComparison.Ordinal);
        Assert.Contains("the ACME certificate is not served (it serves only tls.client_cert = \"acme\")", clientErrors, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_show_writes_the_section_loads_back_and_never_shows_the_mac_key()
    {
        var text = ConfigTestInputs.OneListener + """
            [tls]
            client_cert = "acme"

            [acme]
            directory = "letsencrypt-staging"
            email = "postmaster@example.org"
            domains = ["mx.test.example"]
            challenge = "tls-alpn-01"
            tls_alpn_listen = "127.0.0.1:5001"
            key_type = ["ecdsa", "rsa"]
            renew_before = "20d"
            eab_kid = "kid-1"
            eab_hmac_key = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"
            """;
        var configuration = ConfigTestInputs.Load(text, ConfigTestInputs.AllPathsExist("/var/lib/postern")).Configuration!;

        var shown = ConfigurationWriter.Write(configuration, "/data/users");
        var again = ConfigTestInputs.Load(shown, ConfigTestInputs.AllPathsExist("/var/lib/postern"));

        Assert.True(again.Succeeded, string.Join("\n", again.Errors));
        Assert.Contains("""
            [acme]
            directory = "https://acme-staging-v02.api.letsencrypt.org/directory"
            email = "postmaster@example.org"
            domains = ["mx.test.example"]
            challenge = "tls-alpn-01"
            http_listen = "*:80"
            tls_alpn_listen = "127.0.0.1:5001"
            key_type = ["ecdsa", "rsa"]
            renew_before = "20d"
            # eab_kid = "kid-1"
            # eab_hmac_key = "(set)": the external account binding's MAC key is never shown

            """.Replace("\r", "", StringComparison.Ordinal), shown, StringComparison.Ordinal);
        Assert.Contains("client_cert = \"acme\"\n", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("zWNDZM6", shown, StringComparison.Ordinal);
        Assert.Equal(configuration.Acme! with { EabKeyId = null, EabHmacKey = null, Domains = again.Configuration.Acme!.Domains }, again.Configuration.Acme);
        Assert.Equal(configuration.Acme.Domains, again.Configuration.Acme.Domains);
        Assert.Equal((configuration.Tls.ClientCertificate, true), (again.Configuration.Tls.ClientCertificate, again.Configuration.Tls.ClientCertificateFromAcme));
        Assert.Equal(configuration.Tls.AcmeCertificates, again.Configuration.Tls.AcmeCertificates);
    }

    [Fact]
    public void Config_show_of_a_dns_01_section_loads_back_to_the_same_options()
    {
        var text = ConfigTestInputs.OneListener + """
            [acme]
            directory = "https://ca.example.org/acme/directory"
            directory_ca_file = "/etc/postern/ca.pem"
            challenge = "dns-01"
            key_type = "rsa"
            dns_update_server = "[::1]:5353"
            dns_tsig_key_file = "/etc/postern/acme.tsig"
            dns_zone = "test.example"
            """;
        var configuration = ConfigTestInputs.Load(text, ConfigTestInputs.AllPathsExist()).Configuration!;

        var shown = ConfigurationWriter.Write(configuration, "/data/users");
        var again = ConfigTestInputs.Load(shown, ConfigTestInputs.AllPathsExist()).Configuration!;

        Assert.Contains("key_type = \"rsa\"\n", shown, StringComparison.Ordinal);
        Assert.Contains("# renew_before: a third of the lifetime", shown, StringComparison.Ordinal);
        Assert.Equal(ConfigurationWriter.Write(again, "/data/users"), shown);
        Assert.Equal(configuration.Acme!.Domains, again.Acme!.Domains);
        Assert.Equal(configuration.Acme with { Domains = again.Acme.Domains }, again.Acme);
    }
}
