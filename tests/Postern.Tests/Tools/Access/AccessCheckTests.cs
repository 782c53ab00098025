using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Postern.Tests.Pki;
using Postern.Tools.Access;

namespace Postern.Tests.Tools.Access;

/// <summary><c>postern access check</c> against a real configuration, access map and CA on disk.</summary>
public sealed class AccessCheckTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "postern-access-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly X509Certificate2 _ca = TestCertificates.CreateRootCa("CN=Corp CA");

    public AccessCheckTests()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "ca.pem"), _ca.ExportCertificatePem());
        File.WriteAllText(AccessFile, "# test map\nConnect:203.0.113.66\tREJECT\nCERTISSUER:/CN=Corp+20CA\tRELAY\nTo:blocked.example\tREJECT\n");
        WriteConfig("");
    }

    private string AccessFile => Path.Combine(_directory, "access");

    private string ConfigFile => Path.Combine(_directory, "postern.toml");

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        _output.Dispose();
        _error.Dispose();
        _ca.Dispose();
    }

    private void WriteConfig(string policyExtra) => File.WriteAllText(ConfigFile, $"""
        [[listener]]
        name = "mta"
        address = "127.0.0.1:2525"
        role = "mta"

        [local]
        domains = ["example.org"]
        users = ["alice"]

        [tls]
        ca_file = "{Path.Combine(_directory, "ca.pem")}"

        [policy]
        access_map = "{AccessFile}"
        relay_networks = ["10.1.0.0/16"]
        {policyExtra}
        """);

    private string WriteCertificate(X509Certificate2 certificate)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    [Fact]
    public void Prints_the_access_maps_connection_limits_for_the_client()
    {
        File.AppendAllText(AccessFile, "ClientRate:\t10\nClientConn:10.1\t3\nGreetPause:10.1.2.3\t2000\nClientRate:10.9\t0\n");

        Run("10.1.2.3", ["alice@example.org"]);
        Assert.Contains(
            "connection limits: rate 10 per minute (ClientRate: 10 at " + AccessFile + ":5), concurrent 3 (ClientConn:10.1 3 at " + AccessFile
            + ":6), greet pause 2000 ms (GreetPause:10.1.2.3 2000 at " + AccessFile + ":7)\n",
            _output.ToString().ReplaceLineEndings("\n"),
            StringComparison.Ordinal);

        _output.GetStringBuilder().Clear();
        Run("10.9.0.1", ["alice@example.org"]);
        Assert.Contains("connection limits: rate unlimited (ClientRate:10.9 0 at " + AccessFile + ":8), concurrent 50", _output.ToString(), StringComparison.Ordinal);
    }

    private int Run(string client, string[] recipients, string? cert = null, string? verify = null, string from = "a@example.net") =>
        AccessCheck.Run(
            new AccessCheckRequest(client, from, recipients) { ConfigPath = ConfigFile, DataDirectory = _directory, Certificate = cert, Verify = verify, Helo = "client.example" },
            _ => null,
            _output,
            _error,
            new FakeTimeProvider(TestCertificates.Now));

    [Fact]
    public void Prints_every_stage_and_restriction_with_the_map_line()
    {
        var exit = Run("10.1.2.3", ["alice@example.org", "x@blocked.example"]);

        Assert.Equal(1, exit);
        Assert.Equal(
            $"""
            client [10.1.2.3] on listener mta (127.0.0.1:2525)
            access map: {AccessFile}
            tls: none
            auth: none
            connection limits: rate unlimited, concurrent 50 (limits.max_connections_per_ip), greet pause none

            connect
              check_client_access        DUNNO      no Connect: entry for 10.1.2.3
              => ACCEPT: end of connect restrictions

            helo client.example
              => ACCEPT: end of helo restrictions

            mail from:<a@example.net>
              check_tls_requirements     DUNNO      no TLS_Clt: entry for 10.1.2.3
              check_sender_access        DUNNO      no From: entry for <a@example.net>
              => ACCEPT: end of sender restrictions

            rcpt to:<alice@example.org>
              reject_routing_tricks      DUNNO      no routing syntax
              check_recipient_access     DUNNO      no To: entry for alice@example.org
              permit_local_domains       PERMIT     local recipient
              => ACCEPT: permit_local_domains: local recipient

            rcpt to:<x@blocked.example>
              reject_routing_tricks      DUNNO      no routing syntax
              check_recipient_access     REJECT     {AccessFile}:4 To:blocked.example REJECT -> 550 5.7.1 Access denied
              => REJECT 550 5.7.1 Access denied: check_recipient_access: {AccessFile}:4 To:blocked.example REJECT

            data
              => ACCEPT: end of data restrictions

            result: refused (1 refusal)

            """.ReplaceLineEndings("\n"),
            _output.ToString().ReplaceLineEndings("\n"));
        Assert.Empty(_error.ToString());
    }

    [Fact]
    public void A_certificate_from_the_configured_ca_relays()
    {
        using var leaf = TestCertificates.CreateLeaf("CN=laptop", _ca);

        var exit = Run("203.0.113.9", ["x@gmail.test"], WriteCertificate(leaf));

        Assert.Equal(0, exit);
        var output = _output.ToString();
        Assert.Contains("tls: TLSv1.3, bits=256, verify=OK", output, StringComparison.Ordinal);
        Assert.Contains($"=> ACCEPT: permit_tls_clientcerts: {AccessFile}:3 verify=OK, certificate issuer /CN=Corp CA: RELAY", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forged_certificate_with_the_same_issuer_name_does_not()
    {
        using var forged = TestCertificates.CreateForgedLeaf(new X500DistinguishedName("CN=laptop"), new X500DistinguishedName("CN=Corp CA"));

        var exit = Run("203.0.113.9", ["x@gmail.test"], WriteCertificate(forged));

        Assert.Equal(1, exit);
        var output = _output.ToString();
        Assert.Contains("verify=FAIL", output, StringComparison.Ordinal);
        Assert.Contains("permit_tls_clientcerts     DUNNO      verify=FAIL: only a certificate that verified is looked up", output, StringComparison.Ordinal);
        Assert.Contains("=> REJECT 550 5.7.1 <x@gmail.test>: Relaying denied: reject_unauth_destination: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_can_be_assumed()
    {
        using var leaf = TestCertificates.CreateLeaf("CN=laptop", _ca);

        var exit = Run("203.0.113.9", ["x@gmail.test"], WriteCertificate(leaf), verify: "FAIL");

        Assert.Equal(1, exit);
        Assert.Contains("verify=FAIL (assumed with --verify)", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_connection_ends_the_session()
    {
        var exit = Run("203.0.113.66", ["alice@example.org"]);

        Assert.Equal(1, exit);
        var output = _output.ToString();
        Assert.Contains($"=> REJECT 554 5.7.1 Access denied: check_client_access: {AccessFile}:2 Connect:203.0.113.66 REJECT", output, StringComparison.Ordinal);
        Assert.DoesNotContain("rcpt to:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_errors_exit_78()
    {
        WriteConfig("recipient_restrictions = [\"permit\", \"reject_unauth_destination\"]");

        var exit = Run("10.1.2.3", ["alice@example.org"]);

        Assert.Equal(78, exit);
        Assert.Contains("policy.recipient_restrictions: 'permit' before 'reject_unauth_destination' would make Postern an open relay", _error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-an-ip", "a@example.net", "--client must be an IP address")]
    [InlineData("10.1.2.3", "not an address", "--from: not an address")]
    public void Bad_arguments_exit_64(string client, string from, string message)
    {
        var exit = Run(client, ["alice@example.org"], from: from);

        Assert.Equal(64, exit);
        Assert.Contains(message, _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ok_without_a_certificate_is_a_usage_error()
    {
        Assert.Equal(64, Run("10.1.2.3", ["alice@example.org"], verify: "OK"));
    }
}
