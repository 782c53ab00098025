using System.Security.Cryptography;
using Postern.Tests.Config.Lint;

namespace Postern.Tests.Tools.Migration;

/// <summary>`postern config import-mc` on every seed's sendmail.mc snippet; each translation passes `postern config check` with the files it names present.</summary>
public sealed class McImportTests
{
    [Fact]
    public void Seed_000_debian_starttls_include_with_access_map()
    {
        using var import = new SeedImport();
        var (exit, toml, messages) = import.Run("000-debian-tls-relay.mc", "000-access", toDirectory: true);

        Assert.Equal(0, exit);
        Assert.Contains($"server_cert = \"{import.Map("/etc/mail/tls/sendmail-server.crt")}\"", toml, StringComparison.Ordinal);
        Assert.Contains($"server_key = \"{import.Map("/etc/mail/tls/sendmail-common.key")}\"", toml, StringComparison.Ordinal);
        Assert.Contains($"ca_file = \"{import.Map("/etc/mail/tls/sendmail-server.crt")}\"", toml, StringComparison.Ordinal);
        Assert.Contains($"client_cert = \"{import.Map("/etc/mail/tls/sendmail-client.crt")}\"", toml, StringComparison.Ordinal);
        Assert.Contains($"access_map = \"{Path.Combine(import.Out, "access")}\"", toml, StringComparison.Ordinal);
        Assert.Contains("client_cert = \"ask\"", toml, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(SeedImport.Seed("000-access")), File.ReadAllText(Path.Combine(import.Out, "access")));
        Assert.Contains("000-debian-tls-relay.mc:4: note: include(`/etc/mail/tls/starttls.m4'): not found here; assumed Debian's defaults", messages, StringComparison.Ordinal);
        Assert.Contains("000-debian-tls-relay.mc:4: note: confDH_PARAMETERS ignored", messages, StringComparison.Ordinal);
        Assert.Contains("000-debian-tls-relay.mc:7: not translated: LOCAL_CONFIG", messages, StringComparison.Ordinal);

        // One key shared by the server and client certificates, as update_tls makes them.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        PemFiles.Write(import.Map("/etc/mail/tls/sendmail-server.crt"), import.Map("/etc/mail/tls/sendmail-common.key"), key, DateTimeOffset.UtcNow.AddYears(10));
        PemFiles.Write(import.Map("/etc/mail/tls/sendmail-client.crt"), import.Map("/etc/mail/tls/sendmail-common.key"), key, DateTimeOffset.UtcNow.AddYears(10));
        Directory.CreateDirectory(import.Map("/etc/ssl/certs"));
        AssertChecks(Path.Combine(import.Out, "postern.toml"));
    }

    [Fact]
    public void Seed_000_included_starttls_m4_is_read_when_present()
    {
        using var import = new SeedImport();
        Directory.CreateDirectory(import.Map("/etc/mail/tls"));
        File.WriteAllText(import.Map("/etc/mail/tls/starttls.m4"),
            "divert(0)dnl\nifelse(eval(sm_version_math >= 527104), `1', `dnl\ndefine(`confSERVER_CERT', `/etc/mail/tls/mine.crt')dnl\ndefine(`confSERVER_KEY', `/etc/mail/tls/mine.key')dnl\ndefine(`confTLS_SRV_OPTIONS', `V')dnl\n')dnl\n");

        var (exit, toml, messages) = import.Run("000-debian-tls-relay.mc");

        Assert.Equal(0, exit);
        Assert.Contains($"server_cert = \"{import.Map("/etc/mail/tls/mine.crt")}\"", toml, StringComparison.Ordinal);
        Assert.DoesNotContain("client_cert = \"ask\"", toml, StringComparison.Ordinal);
        Assert.Contains("note: include(`/etc/mail/tls/starttls.m4'): read from", messages, StringComparison.Ordinal);
    }

    [Fact]
    public void Seed_001_cert_dir_macros_expand()
    {
        using var import = new SeedImport();
        var (exit, toml, messages) = import.Run("001-local-ca.mc", "001-access", toDirectory: true);

        Assert.Equal(0, exit);
        Assert.Contains($"ca_path = \"{import.Map("/etc/mail/certs")}\"", toml, StringComparison.Ordinal);
        Assert.Contains($"ca_file = \"{import.Map("/etc/mail/certs/cacert.pem")}\"", toml, StringComparison.Ordinal);
        Assert.Contains($"server_cert = \"{import.Map("/etc/mail/certs/cert.pem")}\"", toml, StringComparison.Ordinal);
        Assert.Contains($"client_key = \"{import.Map("/etc/mail/certs/key.pem")}\"", toml, StringComparison.Ordinal);
        Assert.Contains("001-local-ca.mc:4: note: APPENDDEF(`confINCDIRS', ...) is a build setting", messages, StringComparison.Ordinal);
        Assert.Contains("import-mc: 0 item(s) not translated", messages, StringComparison.Ordinal);

        PemFiles.Write(import.Map("/etc/mail/certs/cert.pem"), import.Map("/etc/mail/certs/key.pem"));
        PemFiles.Write(import.Map("/etc/mail/certs/cacert.pem"), import.Map("/etc/mail/certs/cakey.pem"));
        AssertChecks(Path.Combine(import.Out, "postern.toml"));
    }

    [Theory]
    [InlineData("002-tls-everywhere.mc", 8)]
    [InlineData("002-tls-everywhere-cf.mc", 6)]
    public void Seed_002_a_client_key_without_its_certificate_is_reported(string seed, int keyLine)
    {
        using var import = new SeedImport();
        var (exit, toml, messages) = import.Run(seed, toDirectory: true);

        Assert.Equal(0, exit);
        Assert.Contains($"server_key = \"{import.Map("/etc/mail/cert/server.key.open")}\"", toml, StringComparison.Ordinal);
        Assert.Contains($"ca_path = \"{import.Map("/etc/mail/cert")}\"", toml, StringComparison.Ordinal);
        Assert.DoesNotContain("client_key", toml, StringComparison.Ordinal);
        Assert.Contains($"{seed}:{keyLine}: not translated: confCLIENT_KEY without confCLIENT_CERT", messages, StringComparison.Ordinal);

        PemFiles.Write(import.Map("/etc/mail/cert/server.crt"), import.Map("/etc/mail/cert/server.key.open"));
        AssertChecks(Path.Combine(import.Out, "postern.toml"));
    }

    [Fact]
    public void Seed_003_smtps_daemon_and_auth_options()
    {
        using var import = new SeedImport();
        var (exit, toml, messages) = import.Run("003-sasl-smtps.mc", toDirectory: true);

        Assert.Equal(0, exit);
        Assert.Contains("name = \"SSA\"\naddress = \"0.0.0.0:465\"\nrole = \"msa\"\ntls = \"implicit\"\nclient_cert = \"none\"\nauth = \"require\"\netrn = false\n", toml, StringComparison.Ordinal);
        Assert.Contains("name = \"MTA\"\naddress = \"0.0.0.0:25\"\nrole = \"mta\"\ntls = \"starttls\"\nclient_cert = \"ask\"\nauth = \"offer\"\n", toml, StringComparison.Ordinal);
        Assert.Contains("plaintext_requires_tls = true", toml, StringComparison.Ordinal);
        Assert.Contains("auth_param_only_when_authenticated = true", toml, StringComparison.Ordinal);
        Assert.Contains("003-sasl-smtps.mc:7: note: confDONT_BLAME_SENDMAIL", messages, StringComparison.Ordinal);
        Assert.Contains("listener \"MSA\" added", messages, StringComparison.Ordinal);
        AssertChecks(Path.Combine(import.Out, "postern.toml"));
    }

    [Fact]
    public void Seed_004_mechanisms_and_the_local_ruleset()
    {
        using var import = new SeedImport();
        var (exit, toml, messages) = import.Run("004-rh-starttls.mc", toDirectory: true);

        Assert.Equal(0, exit);
        Assert.Contains("mechanisms = [\"DIGEST-MD5\", \"CRAM-MD5\", \"LOGIN\", \"PLAIN\"]", toml, StringComparison.Ordinal);
        Assert.Contains("trusted_mechanisms = [\"DIGEST-MD5\", \"CRAM-MD5\", \"LOGIN\", \"PLAIN\"]", toml, StringComparison.Ordinal);
        // Certificate and key in one file: no separate key.
        Assert.Contains($"server_cert = \"{import.Map("/usr/share/ssl/certs/sendmail.pem")}\"", toml, StringComparison.Ordinal);
        Assert.DoesNotContain("server_key", toml, StringComparison.Ordinal);
        Assert.Contains("004-rh-starttls.mc:11: not translated: LOCAL_RULESETS", messages, StringComparison.Ordinal);
        Assert.Contains("004-rh-starttls.mc:12: not translated: sendmail.cf text: SLocal_check_rcpt", messages, StringComparison.Ordinal);
        Assert.Contains("004-rh-starttls.mc:13: not translated: R$* $: $&{verify}: not needed", messages, StringComparison.Ordinal);
        Assert.Contains("004-rh-starttls.mc:14: not translated: sendmail.cf text: ROK $# OK", messages, StringComparison.Ordinal);

        PemFiles.Write(import.Map("/usr/share/ssl/certs/sendmail.pem"), null);
        PemFiles.Write(import.Map("/usr/share/ssl/certs/ca-bundle.crt"), import.Map("/usr/share/ssl/ca.key"));
        var (checkExit, _, warnings) = ConfigCheckRun.CheckFile(Path.Combine(import.Out, "postern.toml"));
        Assert.True(checkExit == 0, warnings);
        Assert.Contains("warning: auth: auth.mechanisms offers DIGEST-MD5 and CRAM-MD5", warnings, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_out_the_toml_goes_to_stdout()
    {
        using var import = new SeedImport();
        var (exit, toml, _) = import.Run("003-sasl-smtps.mc");

        Assert.Equal(0, exit);
        Assert.StartsWith("# Generated by `postern config import-mc`", toml, StringComparison.Ordinal);
        Assert.False(Directory.Exists(import.Out));
    }

    [Fact]
    public void A_broken_access_file_stops_the_import()
    {
        using var import = new SeedImport();
        var broken = Path.Combine(Path.GetTempPath(), "postern-access-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(broken, "CERTISSUER: RELAY\n");
        try
        {
            var output = new StringWriter();
            var errors = new StringWriter();
            var exit = Postern.Tools.Migration.McImport.Run(
                new Postern.Tools.Migration.McImportOptions(SeedImport.Seed("000-debian-tls-relay.mc"), broken, import.Out, import.DataDirectory), output, errors);

            Assert.Equal(65, exit);
            Assert.Contains(broken + ":1:", errors.ToString(), StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(import.Out, "postern.toml")));
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public void Smart_host_daemon_address_and_unknown_options()
    {
        using var import = new SeedImport();
        var mc = Path.Combine(import.DataDirectory, "sendmail.mc");
        Directory.CreateDirectory(import.DataDirectory);
        File.WriteAllText(mc, "define(`SMART_HOST', `relay:[smtp.provider.example]')dnl\nDAEMON_OPTIONS(`Port=smtp, Addr=127.0.0.1, Name=MTA')dnl\nDAEMON_OPTIONS(`Port=587, Name=MSA, M=a')dnl\ndefine(`confMAX_MESSAGE_SIZE', `10485760')dnl\ndefine(`confTO_IDENT', `0')dnl\nFEATURE(`promiscuous_relay')dnl\n");
        var output = new StringWriter();
        var errors = new StringWriter();

        var exit = Postern.Tools.Migration.McImport.Run(new Postern.Tools.Migration.McImportOptions(mc, null, null, import.DataDirectory), output, errors);

        Assert.Equal(0, exit);
        var toml = output.ToString();
        Assert.Contains("smarthost = \"[smtp.provider.example]\"", toml, StringComparison.Ordinal);
        Assert.Contains("address = \"127.0.0.1:25\"", toml, StringComparison.Ordinal);
        Assert.Contains("name = \"MSA\"\naddress = \"0.0.0.0:587\"\nrole = \"msa\"\ntls = \"starttls\"\nclient_cert = \"none\"\nauth = \"require\"\n", toml, StringComparison.Ordinal);
        Assert.Contains("max_message_size = 10485760", toml, StringComparison.Ordinal);
        Assert.Contains("sendmail.mc:5: not translated: confTO_IDENT = `0': no Postern equivalent", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("sendmail.mc:6: not translated: FEATURE(`promiscuous_relay') makes an open relay", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Debians_public_CA_store_as_client_certificate_trust_is_warned_about_in_the_output_and_the_file()
    {
        using var import = new SeedImport();
        var (exit, toml, messages) = import.Run("000-debian-tls-relay.mc", "000-access", toDirectory: true);

        Assert.Equal(0, exit);
        Assert.Contains("000-debian-tls-relay.mc:4: warning: confCACERT_PATH `/etc/ssl/certs' is the system's public CA store", messages, StringComparison.Ordinal);
        Assert.Contains("1 warning(s)", messages, StringComparison.Ordinal);
        var comment = toml.IndexOf("# warning: confCACERT_PATH `/etc/ssl/certs' is the system's public CA store", StringComparison.Ordinal);
        Assert.True(comment >= 0 && comment < toml.IndexOf("ca_path = ", StringComparison.Ordinal), toml);
    }

    [Theory]
    [InlineData("mailertable", "[[route]]")]
    public void Features_with_an_equivalent_say_what_to_write_instead(string feature, string use)
    {
        using var import = new SeedImport();
        var mc = Path.Combine(import.DataDirectory, "sendmail.mc");
        Directory.CreateDirectory(import.DataDirectory);
        File.WriteAllText(mc, $"FEATURE(`{feature}')dnl\n");
        var errors = new StringWriter();

        var exit = Postern.Tools.Migration.McImport.Run(new Postern.Tools.Migration.McImportOptions(mc, null, null, import.DataDirectory), new StringWriter(), errors);

        Assert.Equal(0, exit);
        Assert.DoesNotContain("no Postern equivalent", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains($"sendmail.mc:1: not translated: FEATURE(`{feature}'):", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains(use, errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_features_of_the_per_client_access_entries_are_noted_as_applying()
    {
        using var import = new SeedImport();
        var mc = Path.Combine(import.DataDirectory, "sendmail.mc");
        Directory.CreateDirectory(import.DataDirectory);
        File.WriteAllText(mc, "FEATURE(`access_db')dnl\nFEATURE(`greet_pause', `5000')dnl\nFEATURE(`ratecontrol', `nodelay', `terminate')dnl\nFEATURE(`conncontrol', `nodelay', `terminate')dnl\n");
        var errors = new StringWriter();

        var exit = Postern.Tools.Migration.McImport.Run(new Postern.Tools.Migration.McImportOptions(mc, null, null, import.DataDirectory), new StringWriter(), errors);

        Assert.Equal(0, exit);
        var said = errors.ToString();
        Assert.Contains("sendmail.mc:2: note: FEATURE(`greet_pause', `5000'): the access map's GreetPause: entries apply; for this default add \"GreetPause:<TAB>5000\" to the access map", said, StringComparison.Ordinal);
        Assert.Contains("sendmail.mc:3: note: FEATURE(`ratecontrol'): the access map's ClientRate: entries apply", said, StringComparison.Ordinal);
        Assert.Contains("sendmail.mc:4: note: FEATURE(`conncontrol'): the access map's ClientConn: entries apply", said, StringComparison.Ordinal);
        Assert.DoesNotContain("no Postern equivalent", said, StringComparison.Ordinal);
    }

    private static void AssertChecks(string config)
    {
        var (exit, output, errors) = ConfigCheckRun.CheckFile(config);
        Assert.True(exit == 0, errors);
        Assert.Contains("OK", output, StringComparison.Ordinal);
    }
}
