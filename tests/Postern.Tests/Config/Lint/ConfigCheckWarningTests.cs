namespace Postern.Tests.Config.Lint;

/// <summary>`postern config check`: one test per warning; warnings never change the exit code, errors do.</summary>
public sealed class ConfigCheckWarningTests
{
    [Fact]
    public void The_embedded_default_passes_without_warnings()
    {
        using var run = new ConfigCheckRun();
        var (exit, output, errors) = ConfigCheckRun.CheckFile(null, run.Path);

        Assert.Equal(0, exit);
        Assert.DoesNotContain("warning:", errors, StringComparison.Ordinal);
        Assert.Contains("(embedded default): OK", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_minimal_file_passes_without_warnings()
    {
        using var run = new ConfigCheckRun();
        var (exit, _, errors) = run.Check("");

        Assert.Equal(0, exit);
        Assert.Equal("", errors);
    }

    [Fact]
    public void Relay_networks_of_the_whole_internet_are_an_open_relay()
    {
        using var run = new ConfigCheckRun();
        var (exit, _, errors) = run.Check("[policy]\nrelay_networks = [\"0.0.0.0/0\"]\n");

        Assert.Equal(0, exit);
        Assert.Contains("warning: relay: policy.relay_networks lists \"0.0.0.0/0\": every client on the Internet may relay", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8.0.0.0/8")]
    [InlineData("2001:db8::/32")]
    public void A_wide_public_relay_network_is_flagged(string network)
    {
        using var run = new ConfigCheckRun();
        var (_, _, errors) = run.Check($"[policy]\nrelay_networks = [\"{network}\"]\n");

        Assert.Contains($"warning: relay: policy.relay_networks lists \"{network}\", a wide public range", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("192.168.0.0/16")]
    [InlineData("203.0.113.0/28")]
    [InlineData("fd00::/8")]
    public void Private_and_narrow_relay_networks_are_not_flagged(string network)
    {
        using var run = new ConfigCheckRun();
        var (_, _, errors) = run.Check($"[policy]\nrelay_networks = [\"{network}\"]\n");

        Assert.DoesNotContain("warning:", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("com")]
    [InlineData(".org")]
    public void A_top_level_relay_domain_is_flagged(string domain)
    {
        using var run = new ConfigCheckRun();
        var (_, _, errors) = run.Check($"[policy]\nrelay_domains = [\"{domain}\"]\n");

        Assert.Contains($"warning: relay: policy.relay_domains lists \"{domain}\", a whole top-level domain", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relay_domain_above_a_local_domain_is_flagged()
    {
        using var run = new ConfigCheckRun();
        var (_, _, errors) = run.Check("[local]\ndomains = [\"mail.example.org\"]\n\n[policy]\nrelay_domains = [\".example.org\", \"partner.example\"]\n");

        Assert.Contains("warning: relay: policy.relay_domains lists \".example.org\", a parent of the local domain mail.example.org", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("partner.example", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Access_map_relay_entries_for_public_ranges_are_flagged_and_private_ones_not()
    {
        using var run = new ConfigCheckRun();
        var map = run.WriteFile("access", "Connect:192.168 RELAY\nConnect:8 RELAY\n203.0.113 RELAY\nConnect:198.51.100.7 RELAY\nConnect:IPv6:2001:db8 RELAY\n");
        var (exit, _, errors) = run.Check($"[policy]\naccess_map = \"{map}\"\n");

        Assert.Equal(0, exit);
        Assert.Contains($"warning: relay: {map}:2: \"Connect:8 RELAY\" lets every client in 8.0.0.0/8 relay", errors, StringComparison.Ordinal);
        Assert.Contains($"warning: relay: {map}:3: \"203.0.113 RELAY\" lets every client in 203.0.113.0/24 relay", errors, StringComparison.Ordinal);
        Assert.Contains($"{map}:5: \"Connect:ipv6:2001:db8 RELAY\" lets every client in 2001:db8::/32 relay", errors, StringComparison.Ordinal);
        Assert.DoesNotContain($"{map}:1:", errors, StringComparison.Ordinal);
        Assert.DoesNotContain($"{map}:4:", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void An_access_map_relay_entry_for_a_top_level_domain_is_flagged()
    {
        using var run = new ConfigCheckRun();
        var map = run.WriteFile("access", "To:com RELAY\nTo:partner.example RELAY\n");
        var (_, _, errors) = run.Check($"[policy]\naccess_map = \"{map}\"\n");

        Assert.Contains($"warning: relay: {map}:1: \"To:com RELAY\" lets anyone relay to every domain under .com", errors, StringComparison.Ordinal);
        Assert.DoesNotContain($"{map}:2:", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_access_map_key_is_an_error_not_a_warning()
    {
        using var run = new ConfigCheckRun();
        var map = run.WriteFile("access", "Connect: RELAY\n");
        var (exit, _, errors) = run.Check($"[policy]\naccess_map = \"{map}\"\n");

        Assert.Equal(78, exit);
        Assert.Contains($"{map}:1:", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_certificates_without_a_CA_while_the_access_map_counts_on_them_is_flagged()
    {
        using var run = new ConfigCheckRun();
        var map = run.WriteFile("access", "CERTISSUER:/CN=Local+20CA RELAY\n");
        var (exit, _, errors) = run.Check(
            $"[policy]\naccess_map = \"{map}\"\n\n[[listener]]\nname = \"mx\"\naddress = \"127.0.0.1:2526\"\nrole = \"mta\"\ntls = \"starttls\"\nclient_cert = \"ask\"\n");

        Assert.Equal(0, exit);
        Assert.Contains("warning: listener: listener \"mx\": client_cert = \"ask\" but neither tls.ca_file nor tls.ca_path is set", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Requiring_a_client_certificate_on_submission_is_flagged()
    {
        using var run = new ConfigCheckRun();
        PemFiles.Write(run.Combine("ca.pem"), run.Combine("ca.key"));
        var (exit, _, errors) = run.Check(
            $"[tls]\nca_file = \"{run.Combine("ca.pem")}\"\n\n[[listener]]\nname = \"submission\"\naddress = \"127.0.0.1:2587\"\nrole = \"msa\"\ntls = \"starttls\"\nclient_cert = \"require\"\n");

        Assert.Equal(0, exit);
        Assert.Contains("warning: listener: listener \"submission\" (role msa): client_cert = \"require\" refuses every mail client without a certificate", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Submission_without_auth_is_flagged()
    {
        using var run = new ConfigCheckRun();
        var (exit, _, errors) = run.Check("[[listener]]\nname = \"submission\"\naddress = \"127.0.0.1:2587\"\nrole = \"msa\"\ntls = \"starttls\"\nauth = \"off\"\n");

        Assert.Equal(0, exit);
        Assert.Contains("warning: listener: listener \"submission\" (role msa): auth = \"off\"", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Auth_on_a_listener_without_tls_while_plaintext_is_allowed_is_flagged()
    {
        using var run = new ConfigCheckRun();
        var (_, _, errors) = run.Check(
            "[auth]\nplaintext_requires_tls = false\n\n[[listener]]\nname = \"plain\"\naddress = \"127.0.0.1:2526\"\nrole = \"mta\"\ntls = \"none\"\n");

        Assert.Contains("warning: listener: listener \"plain\": tls = \"none\" with AUTH offered and auth.plaintext_requires_tls = false", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("listener \"mta\": tls", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_certificate_expiring_within_30_days_is_flagged()
    {
        using var run = new ConfigCheckRun();
        PemFiles.Write(run.Combine("cert.pem"), run.Combine("key.pem"), DateTimeOffset.UtcNow.AddDays(10));
        var (exit, _, errors) = run.Check($"[tls]\nserver_cert = \"{run.Combine("cert.pem")}\"\nserver_key = \"{run.Combine("key.pem")}\"\n");

        Assert.Equal(0, exit);
        Assert.Contains($"warning: tls: {run.Combine("cert.pem")}: the server certificate expires on", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_valid_for_longer_is_not_flagged()
    {
        using var run = new ConfigCheckRun();
        PemFiles.Write(run.Combine("cert.pem"), run.Combine("key.pem"), DateTimeOffset.UtcNow.AddDays(90));
        var (exit, _, errors) = run.Check($"[tls]\nserver_cert = \"{run.Combine("cert.pem")}\"\nserver_key = \"{run.Combine("key.pem")}\"\n");

        Assert.Equal(0, exit);
        Assert.Equal("", errors);
    }

    [Fact]
    public void A_key_file_readable_by_others_is_flagged()
    {
        using var run = new ConfigCheckRun();
        PemFiles.Write(run.Combine("cert.pem"), run.Combine("key.pem"));
        File.SetUnixFileMode(run.Combine("key.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var (exit, _, errors) = run.Check($"[tls]\nserver_cert = \"{run.Combine("cert.pem")}\"\nserver_key = \"{run.Combine("key.pem")}\"\n");

        Assert.Equal(0, exit);
        Assert.Contains($"warning: TLS: {run.Combine("key.pem")}: private key file has mode 0644", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_key_that_does_not_match_its_certificate_is_an_error()
    {
        using var run = new ConfigCheckRun();
        PemFiles.Write(run.Combine("cert.pem"), run.Combine("key.pem"));
        PemFiles.Write(run.Combine("other.pem"), run.Combine("other.key"));
        var (exit, _, errors) = run.Check($"[tls]\nserver_cert = \"{run.Combine("cert.pem")}\"\nserver_key = \"{run.Combine("other.key")}\"\n");

        Assert.Equal(78, exit);
        Assert.Contains("does it match?", errors, StringComparison.Ordinal);
        // At the line that named the key, as every other configuration error.
        Assert.StartsWith($"{run.Combine("postern.toml")}:7:1: tls.server_key: {run.Combine("other.key")}: the private key ", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relay_client_key_that_does_not_match_its_certificate_is_an_error()
    {
        using var run = new ConfigCheckRun();
        PemFiles.Write(run.Combine("client.pem"), run.Combine("client.key"));
        PemFiles.Write(run.Combine("other.pem"), run.Combine("other.key"));
        var (exit, _, errors) = run.Check($"[tls]\nclient_cert = \"{run.Combine("client.pem")}\"\nclient_key = \"{run.Combine("other.key")}\"\n");

        Assert.Equal(78, exit);
        Assert.Contains(run.Combine("client.pem"), errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relay_client_certificate_expiring_soon_is_flagged()
    {
        using var run = new ConfigCheckRun();
        PemFiles.Write(run.Combine("client.pem"), run.Combine("client.key"), DateTimeOffset.UtcNow.AddDays(5));
        var (exit, _, errors) = run.Check($"[tls]\nclient_cert = \"{run.Combine("client.pem")}\"\nclient_key = \"{run.Combine("client.key")}\"\n");

        Assert.Equal(0, exit);
        Assert.Contains($"warning: tls: {run.Combine("client.pem")}: the client certificate (tls.client_cert) expires on", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trusted_mechanism_that_is_not_offered_is_an_error()
    {
        using var run = new ConfigCheckRun();
        var (exit, _, errors) = run.Check("[auth]\nmechanisms = [\"PLAIN\"]\ntrusted_mechanisms = [\"PLAIN\", \"LOGIN\"]\n");

        Assert.Equal(78, exit);
        Assert.Contains("auth.trusted_mechanisms", errors, StringComparison.Ordinal);
    }
}
