using System.Net;
using Postern.Config;
using Postern.Core.Tls;
using Postern.Pki.Acme;

namespace Postern.Tests.Config;

public sealed class AcmeConfigurationTests
{
    // OneListener takes lines 1-5; "[acme]" is line 6, so the first key is line 7.
    private const string Directory = "directory = \"https://acme.test.example/dir\"\n";

    private static ConfigurationResult LoadAcme(string lines, ConfigurationInputs? inputs = null) =>
        ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[acme]\n" + lines + "\n", inputs ?? ConfigTestInputs.AllPathsExist("/var/lib/postern"));

    [Fact]
    public void Without_the_section_there_is_no_acme_and_no_acme_certificates()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Null(result.Configuration.Acme);
        Assert.Empty(result.Configuration.Tls.AcmeCertificates);
        Assert.False(result.Configuration.Tls.ClientCertificateFromAcme);
    }

    [Fact]
    public void A_directory_alone_takes_the_defaults()
    {
        var result = LoadAcme(Directory);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var acme = result.Configuration.Acme!;
        Assert.Equal(new Uri("https://acme.test.example/dir"), acme.DirectoryUrl);
        Assert.Equal([ConfigTestInputs.HostName], acme.Domains);
        Assert.Equal(AcmeChallengeType.Http01, acme.Challenge);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 80), acme.HttpListen);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 443), acme.TlsAlpnListen);
        Assert.Equal(AcmeKeyTypes.Ecdsa, acme.KeyTypes);
        Assert.Null(acme.RenewBefore);
        Assert.Null(acme.Email);
        Assert.Null(acme.EabKeyId);
        Assert.Null(acme.DnsUpdateServer);
        Assert.Equal("/var/lib/postern/acme", acme.Directory);
        Assert.Equal([new CertificateFiles("/var/lib/postern/acme/live/ecdsa.pem", null)], result.Configuration.Tls.AcmeCertificates);
        Assert.Empty(result.Configuration.Tls.ServerCertificates);
    }

    [Theory]
    [InlineData("letsencrypt", "https://acme-v02.api.letsencrypt.org/directory")]
    [InlineData("letsencrypt-staging", "https://acme-staging-v02.api.letsencrypt.org/directory")]
    [InlineData("https://127.0.0.1:14000/dir", "https://127.0.0.1:14000/dir")]
    public void The_directory_is_a_url_or_one_of_two_words(string text, string url)
    {
        var result = LoadAcme($"directory = \"{text}\"");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(new Uri(url), result.Configuration.Acme!.DirectoryUrl);
    }

    [Fact]
    public void Every_key_binds()
    {
        var result = LoadAcme("""
            directory = "https://127.0.0.1:14000/dir"
            directory_ca_file = "pebble-ca.pem"
            email = "postmaster@example.org"
            domains = ["Mail.Example.org", "*.example.org"]
            challenge = "dns-01"
            http_listen = "127.0.0.1:5002"
            tls_alpn_listen = "[::1]:5001"
            key_type = ["rsa", "ecdsa"]
            renew_before = "30d"
            eab_kid = "kid-1"
            eab_hmac_key = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"
            dns_update_server = "127.0.0.1:5353"
            dns_tsig_key_file = "/etc/postern/acme.tsig"
            dns_zone = "Example.org."
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var acme = result.Configuration.Acme!;
        Assert.Equal("/var/lib/postern/pebble-ca.pem", acme.DirectoryCaFile);
        Assert.Equal("postmaster@example.org", acme.Email);
        Assert.Equal(["mail.example.org", "*.example.org"], acme.Domains);
        Assert.Equal(AcmeChallengeType.Dns01, acme.Challenge);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5002"), acme.HttpListen);
        Assert.Equal(IPEndPoint.Parse("[::1]:5001"), acme.TlsAlpnListen);
        Assert.Equal(AcmeKeyTypes.Ecdsa | AcmeKeyTypes.Rsa, acme.KeyTypes);
        Assert.Equal(TimeSpan.FromDays(30), acme.RenewBefore);
        Assert.Equal("kid-1", acme.EabKeyId);
        Assert.Equal(48, acme.EabHmacKey!.Length);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5353"), acme.DnsUpdateServer);
        Assert.Equal("/etc/postern/acme.tsig", acme.DnsTsigKeyFile);
        Assert.Equal("example.org", acme.DnsZone);
        Assert.Equal(
            [new CertificateFiles("/var/lib/postern/acme/live/ecdsa.pem", null), new CertificateFiles("/var/lib/postern/acme/live/rsa.pem", null)],
            result.Configuration.Tls.AcmeCertificates);
    }

    [Fact]
    public void A_dns_update_server_without_a_port_takes_53()
    {
        var result = LoadAcme(Directory + "challenge = \"dns-01\"\ndns_update_server = \"192.0.2.1\"\ndns_tsig_key_file = \"/k\"");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(IPEndPoint.Parse("192.0.2.1:53"), result.Configuration.Acme!.DnsUpdateServer);
    }

    [Theory]
    [InlineData("directory = \"http://acme.test.example/dir\"", "acme.directory", 7, "must be an https:// URL")]
    [InlineData("directory = \"acme.test.example\"", "acme.directory", 7, "must be an https:// URL")]
    [InlineData("directory = \"lets-encrypt\"", "acme.directory", 7, "must be an https:// URL")]
    [InlineData("directory = 1", "acme.directory", 7, "must be a string")]
    [InlineData("email = \"postmaster@example.org\"", "acme.directory", 6, "is required")]
    [InlineData(Directory + "email = \"postmaster\"", "acme.email", 8, "must be a mailbox")]
    [InlineData(Directory + "domains = []", "acme.domains", 8, "must list 1 to 100 names, got 0")]
    [InlineData(Directory + "domains = [\"mail.example.org\", \"bad_name.example.org\"]", "acme.domains", 8, "must be a host name")]
    [InlineData(Directory + "domains = [\"*.example.org\"]", "acme.domains", 8, "\"*.example.org\" is a wildcard: CAs prove wildcards only by dns-01")]
    [InlineData(Directory + "domains = [\"localhost\"]", "acme.domains", 8, "\"localhost\" has no dot")]
    [InlineData(Directory + "domains = [\"a.example.org\", \"A.example.org\"]", "acme.domains", 8, "lists \"A.example.org\" twice")]
    [InlineData(Directory + "challenge = \"http\"", "acme.challenge", 8, "must be one of \"http-01\", \"tls-alpn-01\", \"dns-01\"")]
    [InlineData(Directory + "http_listen = \"localhost:80\"", "acme.http_listen", 8, "must be IPv4:port")]
    [InlineData(Directory + "http_listen = \"*:0\"", "acme.http_listen", 8, "must be IPv4:port")]
    [InlineData(Directory + "tls_alpn_listen = \"443\"", "acme.tls_alpn_listen", 8, "must be IPv4:port")]
    [InlineData(Directory + "key_type = \"ed25519\"", "acme.key_type", 8, "must be \"ecdsa\", \"rsa\" or [\"ecdsa\", \"rsa\"]")]
    [InlineData(Directory + "key_type = []", "acme.key_type", 8, "must be \"ecdsa\", \"rsa\"")]
    [InlineData(Directory + "key_type = [\"rsa\", \"rsa\"]", "acme.key_type", 8, "must be \"ecdsa\", \"rsa\"")]
    [InlineData(Directory + "key_type = 2", "acme.key_type", 8, "must be \"ecdsa\", \"rsa\"")]
    [InlineData(Directory + "renew_before = \"30m\"", "acme.renew_before", 8, "must be a duration")]
    [InlineData(Directory + "renew_before = \"91d\"", "acme.renew_before", 8, "must be a duration")]
    [InlineData(Directory + "eab_kid = \"kid-1\"", "acme.eab_kid", 8, "is set without eab_hmac_key")]
    [InlineData(Directory + "eab_hmac_key = \"zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG4\"", "acme.eab_hmac_key", 8, "is set without eab_kid")]
    [InlineData(Directory + "eab_kid = \"kid-1\"\neab_hmac_key = \"not+base64/url\"", "acme.eab_hmac_key", 9, "must be the MAC key the CA gave, in base64url")]
    [InlineData(Directory + "eab_kid = \"kid-1\"\neab_hmac_key = \"c2hvcnQ\"", "acme.eab_hmac_key", 9, "must be the MAC key")]
    [InlineData(Directory + "eab_kid = \"kid 1\"\neab_hmac_key = \"zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG4\"", "acme.eab_kid", 8, "must be the key identifier")]
    [InlineData(Directory + "dns_update_server = \"127.0.0.1:53\"", "acme.dns_update_server", 8, "is only used with challenge = \"dns-01\"")]
    [InlineData(Directory + "dns_zone = \"example.org\"", "acme.dns_zone", 8, "is only used with challenge = \"dns-01\"")]
    [InlineData(Directory + "challenge = \"dns-01\"\ndns_tsig_key_file = \"/k\"", "acme.dns_update_server", 6, "is required with challenge = \"dns-01\"")]
    [InlineData(Directory + "challenge = \"dns-01\"\ndns_update_server = \"127.0.0.1\"", "acme.dns_tsig_key_file", 6, "is required with challenge = \"dns-01\"")]
    [InlineData(Directory + "challenge = \"dns-01\"\ndns_update_server = \"ns1.example.org\"\ndns_tsig_key_file = \"/k\"", "acme.dns_update_server", 9, "must be IPv4, IPv4:port")]
    [InlineData(Directory + "challenge = \"dns-01\"\ndns_update_server = \"127.0.0.1\"\ndns_tsig_key_file = \"/k\"\ndns_zone = \"ex ample\"", "acme.dns_zone", 11, "must be a domain name")]
    [InlineData(Directory + "renew_befor = \"30d\"", "acme.renew_befor", 8, "unknown key (did you mean \"renew_before\"?)")]
    public void Bad_values_are_errors_on_their_line(string lines, string key, int line, string message)
    {
        var result = LoadAcme(lines);

        var error = Assert.Single(result.Errors);
        Assert.Equal((key, line), (error.Key, error.Line));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_eab_mac_key_is_never_echoed_in_an_error()
    {
        var result = LoadAcme(Directory + "eab_kid = \"kid-1\"\neab_hmac_key = \"secret+secret/secret\"");

        var error = Assert.Single(result.Errors);
        Assert.DoesNotContain("secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_files_are_errors_on_their_lines()
    {
        var inputs = ConfigTestInputs.Create("/srv/data") with { FileExists = _ => false };

        var result = LoadAcme(Directory + "directory_ca_file = \"/nowhere/ca.pem\"\nchallenge = \"dns-01\"\ndns_update_server = \"127.0.0.1\"\ndns_tsig_key_file = \"/nowhere/key\"", inputs);

        Assert.Equal(
            [("acme.directory_ca_file", 8, "no such file: /nowhere/ca.pem"), ("acme.dns_tsig_key_file", 11, "no such file: /nowhere/key")],
            result.Errors.Select(e => (e.Key, e.Line, e.Message)));
    }

    [Fact]
    public void Client_cert_acme_presents_the_first_live_file()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + """
            [tls]
            client_cert = "acme"

            [acme]
            directory = "letsencrypt"
            key_type = ["rsa", "ecdsa"]
            """, ConfigTestInputs.Create("/var/lib/postern") with { FileExists = _ => false });

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var tls = result.Configuration.Tls;
        Assert.True(tls.ClientCertificateFromAcme);
        Assert.Equal(new CertificateFiles("/var/lib/postern/acme/live/ecdsa.pem", null), tls.ClientCertificate);
    }

    [Fact]
    public void Client_cert_acme_without_an_acme_section_is_an_error()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[tls]\nclient_cert = \"acme\"\n", ConfigTestInputs.AllPathsExist());

        var error = Assert.Single(result.Errors);
        Assert.Equal(("tls.client_cert", 7), (error.Key, error.Line));
        Assert.StartsWith("is \"acme\" but [acme] is not configured", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_cert_acme_with_a_client_key_is_an_error()
    {
        var result = ConfigTestInputs.Load(
            ConfigTestInputs.OneListener + "[tls]\nclient_cert = \"acme\"\nclient_key = \"/etc/postern/client.key\"\n[acme]\n" + Directory,
            ConfigTestInputs.AllPathsExist());

        var error = Assert.Single(result.Errors);
        Assert.Equal(("tls.client_key", 8), (error.Key, error.Line));
        Assert.StartsWith("must be unset with client_cert = \"acme\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_cert_beside_acme_keeps_both()
    {
        var result = ConfigTestInputs.Load(
            ConfigTestInputs.OneListener + "[tls]\nserver_cert = \"/etc/postern/server.pem\"\n[acme]\n" + Directory,
            ConfigTestInputs.AllPathsExist());

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal([new CertificateFiles("/etc/postern/server.pem", null)], result.Configuration.Tls.ServerCertificates);
        Assert.Single(result.Configuration.Tls.AcmeCertificates);
    }
}
