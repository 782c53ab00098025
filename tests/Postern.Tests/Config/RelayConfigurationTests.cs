using System.Net;
using Postern.Delivery.Relay;

namespace Postern.Tests.Config;

public sealed class RelayConfigurationTests
{
    private static Postern.Config.ConfigError SingleError(string appended, Postern.Config.ConfigurationInputs? inputs = null)
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + appended, inputs);
        Assert.False(result.Succeeded);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void Defaults_are_mx_delivery_tls_dane_and_no_relaying()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var relay = result.Configuration.Relay;
        Assert.Null(relay.SmartHost);
        Assert.Empty(relay.Routes);
        Assert.Equal(OutboundTlsPolicy.Dane, relay.Tls);
        Assert.Empty(relay.DnsServers);
        Assert.Equal((".", "dnssec-failed.org"), (relay.DnssecProbeSigned, relay.DnssecProbeBroken));
        Assert.Equal(ConfigTestInputs.HostName, relay.HeloName);
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), 4), (relay.ConnectTimeout, relay.CommandTimeout, relay.MaxPerDestination));
        Assert.Null(relay.AuthFile);
        Assert.Empty(result.Configuration.RelayPolicy.RelayNetworks);
        Assert.Empty(result.Configuration.RelayPolicy.RelayDomains);
    }

    [Theory]
    [InlineData("dane", OutboundTlsPolicy.Dane)]
    [InlineData("dane-only", OutboundTlsPolicy.DaneOnly)]
    [InlineData("may", OutboundTlsPolicy.May)]
    public void Tls_levels_bind_by_their_words(string word, OutboundTlsPolicy expected)
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + $"[delivery]\ntls = \"{word}\"\n\n[[route]]\ndomain = \"example.net\"\nvia = \"mx\"\ntls = \"{word}\"\n");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal((expected, expected), (result.Configuration.Relay.Tls, result.Configuration.Relay.Routes[0].Tls));
    }

    [Fact]
    public void Dnssec_probe_names_bind_and_an_empty_one_turns_that_probe_off()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[delivery]\ndnssec_probe_signed = \"example.net.\"\ndnssec_probe_broken = \"\"\n");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(("example.net.", null), (result.Configuration.Relay.DnssecProbeSigned, result.Configuration.Relay.DnssecProbeBroken));
    }

    [Fact]
    public void Delivery_routes_and_policy_bind()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + """
            [delivery]
            smarthost = "[mail.example.org]:587"
            tls = "encrypt"
            dns_servers = ["127.0.0.1:5353", "192.0.2.53", "[::1]:53", "2001:db8::53"]
            helo_name = "out.example.org"
            connect_timeout = "10s"
            command_timeout = "2m"
            max_per_destination = 8
            auth_file = "authinfo"
            verify_ca_file = "/etc/ssl/certs/ca-certificates.crt"

            [[route]]
            domain = "Example.net"
            via = "[10.0.0.5]:25"
            tls = "verify"

            [[route]]
            domain = ".example.net"
            via = "mx"

            [policy]
            relay_networks = ["192.0.2.0/24", "2001:db8::/32", "127.0.0.1/32"]
            relay_domains = ["example.com", ".example.com"]
            """, ConfigTestInputs.AllPathsExist("/var/lib/postern"));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var relay = result.Configuration.Relay;
        Assert.Equal("[mail.example.org]:587", relay.SmartHost?.ToString());
        Assert.Equal(OutboundTlsPolicy.Encrypt, relay.Tls);
        Assert.Equal(["127.0.0.1:5353", "192.0.2.53:53", "[::1]:53", "[2001:db8::53]:53"], relay.DnsServers.Select(e => e.ToString()));
        Assert.Equal("out.example.org", relay.HeloName);
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(2), 8), (relay.ConnectTimeout, relay.CommandTimeout, relay.MaxPerDestination));
        Assert.Equal("/var/lib/postern/authinfo", relay.AuthFile);
        Assert.Equal("/etc/ssl/certs/ca-certificates.crt", relay.VerifyCaFile);
        Assert.Equal(2, relay.Routes.Count);
        Assert.Equal(("example.net", "[10.0.0.5]:25", OutboundTlsPolicy.Verify), (relay.Routes[0].Domain, relay.Routes[0].Via?.ToString(), relay.Routes[0].Tls));
        Assert.Equal((".example.net", null, null), (relay.Routes[1].Domain, relay.Routes[1].Via, relay.Routes[1].Tls));
        var policy = result.Configuration.RelayPolicy;
        Assert.Equal([IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("127.0.0.1/32")], policy.RelayNetworks);
        Assert.Equal(["example.com", ".example.com"], policy.RelayDomains);
    }

    [Theory]
    [InlineData("[delivery]\nsmarthost = \"[mail.example.org\"", "delivery.smarthost", 7, "has '[' without its ']': must be host, host:port")]
    [InlineData("[delivery]\nsmarthost = \"mail.example.org:0\"", "delivery.smarthost", 7, "bad port")]
    [InlineData("[delivery]\nsmarthost = \"2001:db8::1\"", "delivery.smarthost", 7, "put it in brackets")]
    [InlineData("[delivery]\ntls = \"required\"", "delivery.tls", 7, "must be one of \"may\", \"encrypt\", \"verify\", \"dane\", \"dane-only\", got \"required\"")]
    [InlineData("[delivery]\ntls = \"daneonly\"", "delivery.tls", 7, "got \"daneonly\"")]
    [InlineData("[delivery]\ndnssec_probe_signed = \"not a name\"", "delivery.dnssec_probe_signed", 7, "must be a domain name, \".\" for the root, or \"\" for no probe")]
    [InlineData("[delivery]\ndns_servers = [\"dns.example.org\"]", "delivery.dns_servers", 7, "must be IPv4, IPv4:port, IPv6 or [IPv6]:port")]
    [InlineData("[delivery]\ndns_servers = [\"127.0.0.1:0\"]", "delivery.dns_servers", 7, "got \"127.0.0.1:0\"")]
    [InlineData("[delivery]\nhelo_name = \"bad name\"", "delivery.helo_name", 7, "must be a host name")]
    [InlineData("[delivery]\nmax_per_destination = 0", "delivery.max_per_destination", 7, "from 1 to 100")]
    [InlineData("[delivery]\nconnect_timeout = \"0s\"", "delivery.connect_timeout", 7, "from 1s to 1h")]
    [InlineData("[delivery]\nsmart_host = \"[a.example]\"", "delivery.smart_host", 7, "unknown key (did you mean \"smarthost\"?)")]
    [InlineData("[[route]]\nvia = \"[10.0.0.5]\"", "route[1].domain", 7, "is required")]
    [InlineData("[[route]]\ndomain = \"example.org\"", "route[1].via", 7, "is required")]
    [InlineData("[[route]]\ndomain = \"bad_domain!\"\nvia = \"mx\"", "route[1].domain", 7, "must be a domain name")]
    [InlineData("[[route]]\ndomain = \"example.org\"\nvia = \"[10.0.0.5\"", "route[1].via", 8, "without its ']'")]
    [InlineData("[[route]]\ndomain = \"example.org\"\nvia = \"mx\"\ntls = \"strict\"", "route[1].tls", 9, "must be one of \"may\", \"encrypt\", \"verify\"")]
    [InlineData("[[route]]\ndomain = \"example.org\"\nvia = \"mx\"\nport = 25", "route[1].port", 9, "unknown key")]
    [InlineData("[[route]]\ndomain = \"example.org\"\nvia = \"mx\"\n[[route]]\ndomain = \"EXAMPLE.org\"\nvia = \"[10.0.0.5]\"", "route[2].domain", 10, "duplicate route for \"example.org\" (first on line 7)")]
    [InlineData("[policy]\nrelay_networks = [\"192.0.2.0/33\"]", "policy.relay_networks", 7, "CIDR")]
    [InlineData("[policy]\nrelay_networks = [\"192.0.2.1/24\"]", "policy.relay_networks", 7, "\"192.0.2.1/24\" has host bits set: write the network as \"192.0.2.0/24\", or a single host with /32")]
    [InlineData("[policy]\nrelay_networks = [\"192.0.2.1\"]", "policy.relay_networks", 7, "got \"192.0.2.1\"")]
    [InlineData("[policy]\nrelay_networks = [\"10.0.0.0/8\", \"10.0.0.0/8\"]", "policy.relay_networks", 7, "twice")]
    [InlineData("[policy]\nrelay_domains = [\"exa mple.org\"]", "policy.relay_domains", 7, "must be domain names")]
    [InlineData("[policy]\nrelay_networks = \"10.0.0.0/8\"", "policy.relay_networks", 7, "must be an array of strings")]
    [InlineData("[policy]\nrelay_hosts = []", "policy.relay_hosts", 7, "unknown key")]
    public void Bad_values_are_errors_with_line_and_key(string appended, string key, int line, string message)
    {
        var error = SingleError(appended + "\n");

        Assert.Equal((key, line), (error.Key, error.Line));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("auth_file = \"authinfo\"", "delivery.auth_file", "no such file: /srv/data/authinfo")]
    [InlineData("verify_ca_file = \"/nowhere/ca.pem\"", "delivery.verify_ca_file", "no such file: /nowhere/ca.pem")]
    [InlineData("sender_auth_file = \"sender-authinfo\"", "delivery.sender_auth_file", "no such file: /srv/data/sender-authinfo")]
    public void Missing_files_are_errors(string line, string key, string message)
    {
        var inputs = ConfigTestInputs.Create("/srv/data") with { FileExists = _ => false };

        var error = SingleError("[delivery]\n" + line + "\n", inputs);

        Assert.Equal((key, 7), (error.Key, error.Line));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_routes_identity_and_the_sender_auth_file_bind()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + """
            [delivery]
            sender_auth_file = "sender-authinfo"

            [[route]]
            domain = "partner.example"
            via = "[smtp.partner.example]:587"
            tls = "verify"
            client_cert = "partner.pem"
            client_key = "/etc/postern/partner.key"
            auth_user = "postern"
            auth_password_file = "partner.secret"
            """, ConfigTestInputs.AllPathsExist("/var/lib/postern"));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var relay = result.Configuration.Relay;
        Assert.Equal("/var/lib/postern/sender-authinfo", relay.SenderAuthFile);
        var route = Assert.Single(relay.Routes);
        Assert.Equal(new Postern.Core.Tls.CertificateFiles("/var/lib/postern/partner.pem", "/etc/postern/partner.key"), route.ClientCertificate);
        Assert.Equal(("postern", "/var/lib/postern/partner.secret"), (route.AuthUser, route.AuthPasswordFile));
        Assert.Equal([route.ClientCertificate!], relay.RouteCertificates());
    }

    [Theory]
    [InlineData("client_key = \"k.pem\"", "route[1].client_key", "is set without client_cert")]
    [InlineData("auth_user = \"postern\"", "route[1].auth_user", "is set without auth_password_file")]
    [InlineData("auth_password_file = \"secret\"", "route[1].auth_password_file", "is set without auth_user")]
    [InlineData("auth_user = \"\"\nauth_password_file = \"secret\"", "route[1].auth_user", "must be a non-empty user name")]
    public void A_half_given_route_identity_is_an_error(string lines, string key, string message)
    {
        var error = SingleError("[[route]]\ndomain = \"partner.example\"\nvia = \"[10.0.0.5]\"\n" + lines + "\n", ConfigTestInputs.AllPathsExist("/srv/data"));

        Assert.Equal(key, error.Key);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("client_cert = \"partner.pem\"", "route[1].client_cert")]
    [InlineData("auth_user = \"u\"\nauth_password_file = \"partner.secret\"", "route[1].auth_password_file")]
    public void Missing_route_files_are_errors(string lines, string key)
    {
        var inputs = ConfigTestInputs.Create("/srv/data") with { FileExists = _ => false };

        var error = SingleError("[[route]]\ndomain = \"partner.example\"\nvia = \"[10.0.0.5]\"\n" + lines + "\n", inputs);

        Assert.Equal(key, error.Key);
        Assert.StartsWith("no such file: /srv/data/partner.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_item_of_an_array_is_an_error_at_its_own_line()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + """
            [policy]
            relay_networks = [
              "10.0.0.0/8",
              "192.0.2.1/24",
              "not a network",
              "10.0.0.0/8",
            ]
            relay_domains = ["ok.example", "bad domain", ".also bad"]

            """);

        Assert.False(result.Succeeded);
        (string Key, int Line, string Says)[] expected =
        [
            ("policy.relay_networks", 9, "\"192.0.2.1/24\" has host bits set"),
            ("policy.relay_networks", 10, "got \"not a network\""),
            ("policy.relay_networks", 11, "lists \"10.0.0.0/8\" twice"),
            ("policy.relay_domains", 13, "got \"bad domain\""),
            ("policy.relay_domains", 13, "got \".also bad\""),
        ];
        Assert.Equal(expected.Length, result.Errors.Count);
        foreach (var (error, (key, line, says)) in result.Errors.Zip(expected))
        {
            Assert.Equal((key, line), (error.Key, error.Line));
            Assert.Contains(says, error.Message, StringComparison.Ordinal);
        }
        Assert.True(result.Errors[3].Column < result.Errors[4].Column);
    }
}
