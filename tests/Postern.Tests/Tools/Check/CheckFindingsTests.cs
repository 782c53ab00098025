using Postern.Tools.Check;

namespace Postern.Tests.Tools.Check;

public sealed class CheckFindingsTests
{
    private static List<string> Problems(CheckResult result) =>
        [.. CheckFindings.Evaluate(result).Where(f => f.Severity == FindingSeverity.Problem).Select(f => f.Code)];

    [Fact]
    public void A_clean_starttls_server_has_no_problems_and_exit_code_0()
    {
        var result = CheckSamples.Clean();
        var findings = CheckFindings.Evaluate(result);

        Assert.DoesNotContain(findings, f => f.Severity == FindingSeverity.Problem);
        Assert.Contains(findings, f => f.Code == "tls10-refused");
        Assert.Contains(findings, f => f.Code == "tls11-refused");
        Assert.Equal(0, CheckFindings.ExitCode(result, findings));
    }

    [Fact]
    public void An_unreachable_server_exits_69()
    {
        var result = new CheckResult { Host = "mail.example.org", Port = 25, Mode = CheckMode.StartTls, ConnectError = "Connection refused" };
        var findings = CheckFindings.Evaluate(result);

        Assert.Equal("unreachable", Assert.Single(findings).Code);
        Assert.Equal(69, CheckFindings.ExitCode(result, findings));
    }

    [Fact]
    public void Plaintext_auth_offered_before_tls_is_a_problem_but_cram_md5_and_scram_are_not()
    {
        var plain = CheckSamples.Clean() with { EhloBeforeTls = CheckSamples.Ehlo(true, "DIGEST-MD5", "CRAM-MD5", "LOGIN", "PLAIN") };
        var scram = CheckSamples.Clean() with { EhloBeforeTls = CheckSamples.Ehlo(true, "SCRAM-SHA-256", "CRAM-MD5") };

        var finding = Assert.Single(CheckFindings.Evaluate(plain), f => f.Code == "plaintext-auth-before-tls");
        Assert.Contains("LOGIN PLAIN", finding.Message, StringComparison.Ordinal);
        Assert.Empty(Problems(scram));
        Assert.Equal(1, CheckFindings.ExitCode(plain, CheckFindings.Evaluate(plain)));
    }

    [Fact]
    public void No_starttls_is_a_problem()
    {
        var result = CheckSamples.Clean() with { EhloBeforeTls = CheckSamples.Ehlo(false, "PLAIN"), Tls = null, EhloAfterTls = null, WeakProtocols = [] };

        Assert.Equal(["no-starttls", "plaintext-auth-before-tls"], Problems(result));
    }

    [Fact]
    public void Implicit_tls_has_no_cleartext_findings()
    {
        var result = CheckSamples.Clean(465) with { Mode = CheckMode.Implicit, EhloBeforeTls = null, Tls = CheckSamples.Tls() with { How = "implicit" } };

        Assert.Empty(Problems(result));
    }

    [Theory]
    [InlineData("TLSv1.0", "tls10-accepted")]
    [InlineData("TLSv1.1", "tls11-accepted")]
    public void An_accepted_weak_version_is_a_problem(string version, string code)
    {
        var result = CheckSamples.Clean() with { WeakProtocols = [new WeakProtocolResult(version, WeakProtocolOutcome.Accepted, "ServerHello")] };

        Assert.Equal([code], Problems(result));
    }

    [Fact]
    public void An_untested_weak_version_is_information_only()
    {
        var result = CheckSamples.Clean() with
        {
            WeakProtocols = [new WeakProtocolResult("TLSv1.0", WeakProtocolOutcome.NotTested, "client side disabled")],
        };
        var findings = CheckFindings.Evaluate(result);

        var finding = Assert.Single(findings, f => f.Code == "tls10-not-tested");
        Assert.Equal(FindingSeverity.Info, finding.Severity);
        Assert.Equal(0, CheckFindings.ExitCode(result, findings));
    }

    [Fact]
    public void A_self_signed_certificate_is_named_as_such()
    {
        var result = CheckSamples.Clean() with { Tls = CheckSamples.Tls(CheckSamples.Leaf(selfSigned: true)) with { Verified = false, VerifyProblem = "issuer not trusted" } };

        Assert.Equal(["self-signed"], Problems(result));
    }

    [Fact]
    public void An_unverifiable_chain_says_why()
    {
        var result = CheckSamples.Clean() with { Tls = CheckSamples.Tls() with { Verified = false, VerifyProblem = "issuer not trusted: /CN=Unknown CA", TrustedBy = "the system store" } };

        var finding = Assert.Single(CheckFindings.Evaluate(result), f => f.Severity == FindingSeverity.Problem);
        Assert.Equal("unverified-chain", finding.Code);
        Assert.Contains("the system store: issuer not trusted: /CN=Unknown CA", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_name_mismatch_lists_the_names_the_certificate_is_for()
    {
        var result = CheckSamples.Clean() with { Tls = CheckSamples.Tls() with { NameChecked = "smtp.example.org", NameMatches = false } };

        var finding = Assert.Single(CheckFindings.Evaluate(result), f => f.Severity == FindingSeverity.Problem);
        Assert.Equal("name-mismatch", finding.Code);
        Assert.Contains("smtp.example.org (it is for mail.example.org)", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200, null)]
    [InlineData(30, null)]
    [InlineData(29, "certificate-expiring")]
    [InlineData(0, "certificate-expiring")]
    [InlineData(-1, "certificate-expired")]
    public void Certificates_expiring_within_30_days_or_expired_are_problems(int daysLeft, string? code)
    {
        var result = CheckSamples.Clean() with { Tls = CheckSamples.Tls(CheckSamples.Leaf(daysLeft)) };

        Assert.Equal(code is null ? [] : [code], Problems(result));
    }

    [Fact]
    public void A_relay_accepted_without_credentials_is_an_open_relay()
    {
        var result = CheckSamples.Clean() with { RelayAttempts = [CheckSamples.Relay(250)] };

        var finding = Assert.Single(CheckFindings.Evaluate(result), f => f.Severity == FindingSeverity.Problem);
        Assert.Equal("open-relay", finding.Code);
        Assert.Contains("OPEN RELAY", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void A_relay_accepted_with_auth_or_a_client_certificate_is_not_a_problem(bool authenticated, bool certificate)
    {
        var result = CheckSamples.Clean() with { RelayAttempts = [CheckSamples.Relay(250, authenticated, certificate)] };

        Assert.Empty(Problems(result));
        Assert.Contains(CheckFindings.Evaluate(result), f => f.Code == "relay-accepted");
    }

    [Fact]
    public void A_refused_relay_is_information()
    {
        var result = CheckSamples.Clean() with { RelayAttempts = [CheckSamples.Relay(550)] };

        Assert.Empty(Problems(result));
        Assert.Contains(CheckFindings.Evaluate(result), f => f.Code == "relay-refused" && f.Message.Contains("550 5.7.1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(25, false)]
    [InlineData(587, true)]
    [InlineData(465, true)]
    public void A_client_certificate_request_is_information_that_mentions_mail_client_ports(int port, bool mentionsClients)
    {
        var result = CheckSamples.Clean(port) with { Tls = CheckSamples.Tls() with { ClientCertificateRequested = true } };
        var findings = CheckFindings.Evaluate(result);

        var finding = Assert.Single(findings, f => f.Code == "client-certificate-asked");
        Assert.Equal(FindingSeverity.Info, finding.Severity);
        Assert.Equal(mentionsClients, finding.Message.Contains("mail clients", StringComparison.Ordinal));
        Assert.Equal(0, CheckFindings.ExitCode(result, findings));
    }

    [Fact]
    public void A_refused_client_certificate_and_a_failed_auth_are_problems()
    {
        var result = CheckSamples.Clean() with
        {
            Tls = CheckSamples.Tls() with { ClientCertificateRequested = true, ClientCertificatePresented = "/CN=Joe User", ClientCertificateAccepted = false },
            Auth = new AuthAttemptResult("alice", "SCRAM-SHA-256", false, "535 5.7.8 Authentication failed"),
        };

        Assert.Equal(["client-certificate-refused", "auth-failed"], Problems(result));
    }

    [Fact]
    public void A_failed_handshake_is_a_problem_and_no_chain_findings_follow()
    {
        var result = CheckSamples.Clean() with { Tls = new TlsFacts { How = "STARTTLS", Error = "unsupported protocol" }, EhloAfterTls = null };

        Assert.Equal(["tls-failed"], Problems(result));
    }

    [Fact]
    public void A_greeting_refusal_and_a_broken_session_are_problems()
    {
        var refused = CheckSamples.Clean() with { Greeting = new GreetingFacts(new ReplyFacts(554, "5.7.1 go away"), 3), EhloBeforeTls = null, Tls = null, EhloAfterTls = null, WeakProtocols = [] };
        var broken = new CheckResult { Host = "h", Port = 2465, Mode = CheckMode.StartTls, Address = "127.0.0.1", SessionError = "no answer within 10 s" };

        Assert.Equal(["greeting-refused"], Problems(refused));
        var finding = Assert.Single(CheckFindings.Evaluate(broken));
        Assert.Equal("session-error", finding.Code);
        Assert.Contains("try --implicit", finding.Message, StringComparison.Ordinal);
    }
}
