using System.Globalization;
using System.Text.Json;

namespace Postern.EndToEnd;

/// <summary>
/// <c>postern check</c>, the real binary, against a real Postern (the seeds' TLS set-up: STARTTLS
/// asking for client certificates, implicit TLS, relaying by CERTISSUER) and a real Postfix.
/// Loopback only; every step bounded by --timeout.
/// </summary>
public sealed class CheckCommandTests
{
    private const string Outside = "friend@far-away.example";
    private const string CertIssuerEntry = "CERTISSUER:/C=US/ST=Washington/O=Foo+20Enterprises/CN=Joe's+20Certificate+20Authority\tRELAY\n";

    private static readonly string[] HonestWeakOutcomes = ["Refused", "NotTested"];

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static async Task<(PosternProcess Server, TestPki Pki)> StartAsync()
    {
        var pki = new TestPki();
        var dataDir = PosternProcess.NewDataDir();
        await File.WriteAllTextAsync(Path.Combine(dataDir, "access"), CertIssuerEntry);
        var server = await PosternProcess.StartAsync(TlsServer.Config(pki) + "\n\n[policy]\naccess_map = \"access\"\n", dataDir, listeners: 3);
        return (server, pki);
    }

    private static async Task StopAsync(PosternProcess server, TestPki pki)
    {
        await server.DisposeAsync();
        Directory.Delete(server.DataDir, recursive: true);
        pki.Dispose();
    }

    [Fact]
    public async Task Starttls_with_the_right_ca_is_clean_and_shows_chain_request_and_refused_relay()
    {
        var (server, pki) = await StartAsync();
        try
        {
            var (code, output) = await Binary.RunAsync("check", "127.0.0.1:" + Port(server.Mta.Port), "--ca", pki["ca.pem"],
                "--from", "joe@laptop.test", "--rcpt", Outside, "--helo", "laptop.test", "--timeout", "30s");

            Assert.True(code == 0, output);
            Assert.Contains("greeting       220 localhost", output, StringComparison.Ordinal);
            Assert.Contains("STARTTLS", output, StringComparison.Ordinal);
            Assert.Matches(@"TLS            TLSv1\.[23], TLS_\w+, (128|256) bits \(STARTTLS\)", output);
            Assert.Contains("certificate 0  /CN=localhost", output, StringComparison.Ordinal);
            Assert.Contains("  issuer       /C=US/ST=Washington/O=Foo Enterprises/CN=Joe's Certificate Authority", output, StringComparison.Ordinal);
            Assert.Contains("verify         OK against " + pki["ca.pem"], output, StringComparison.Ordinal);
            Assert.Contains("host name      127.0.0.1 matches", output, StringComparison.Ordinal);
            // Like sendmail with its CACertFile, the request names the CAs of tls.ca_file, so a mail
            // client offers only a certificate they issued.
            // In sendmail's form, as every DN the commands write.
            Assert.Contains("client cert    asked for; acceptable issuers: /C=US/ST=Washington/O=Foo Enterprises/CN=Joe's Certificate Authority", output, StringComparison.Ordinal);
            Assert.Contains($"RCPT TO:<{Outside}> 550 5.7.1", output, StringComparison.Ordinal);
            Assert.Contains("result: no problems found", output, StringComparison.Ordinal);
            // MAIL, RCPT, RSET: the server saw a refused recipient and no message.
            await server.WaitForLogAsync(l => l.Contains($"ruleset=check_rcpt, arg1=<{Outside}>", StringComparison.Ordinal));
            Assert.DoesNotContain(": from=<", server.Log, StringComparison.Ordinal);

            // Against the system store the test CA is unknown: a problem, exit 1.
            var (systemCode, system) = await Binary.RunAsync("check", "localhost:" + Port(server.Msa.Port), "--timeout", "30s");
            Assert.True(systemCode == 1, system);
            Assert.Contains("! unverified-chain:", system, StringComparison.Ordinal);
            Assert.Contains("client cert    not asked for", system, StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(server, pki);
        }
    }

    [Fact]
    public async Task Implicit_tls_is_checked_from_the_first_byte_and_reported_as_json()
    {
        var (server, pki) = await StartAsync();
        try
        {
            var (code, output) = await Binary.RunAsync("check", "127.0.0.1:" + Port(server.EndPoint("smtps").Port), "--implicit", "--ca", pki["ca.pem"], "--json", "--timeout", "30s");

            Assert.True(code == 0, output);
            using var document = JsonDocument.Parse(output);
            var result = document.RootElement.GetProperty("result");
            Assert.Equal("Implicit", result.GetProperty("mode").GetString());
            Assert.False(result.TryGetProperty("ehlo_before_tls", out _));
            Assert.Equal("implicit", result.GetProperty("tls").GetProperty("how").GetString());
            Assert.True(result.GetProperty("tls").GetProperty("verified").GetBoolean());
            Assert.Equal(220, result.GetProperty("greeting").GetProperty("reply").GetProperty("code").GetInt32());
            Assert.Equal(250, result.GetProperty("ehlo_after_tls").GetProperty("reply").GetProperty("code").GetInt32());
            Assert.Equal(0, document.RootElement.GetProperty("exit_code").GetInt32());
            // TLS 1.0 and 1.1: refused or, where this machine's OpenSSL will not make such a hello, honestly "not tested".
            foreach (var weak in result.GetProperty("weak_protocols").EnumerateArray())
            {
                Assert.Contains(weak.GetProperty("outcome").GetString(), HonestWeakOutcomes);
            }
        }
        finally
        {
            await StopAsync(server, pki);
        }
    }

    [Theory]
    [InlineData("client", "250 2.1.5")]
    [InlineData("forged", "550 5.7.1")]
    public async Task A_client_certificate_is_presented_when_asked_and_the_relay_attempt_shows_what_it_grants(string certificate, string rcptReply)
    {
        var (server, pki) = await StartAsync();
        try
        {
            var (code, output) = await Binary.RunAsync("check", "localhost:" + Port(server.Mta.Port), "--ca", pki["ca.pem"],
                "--cert", pki[certificate + ".pem"], "--key", pki[certificate + ".key"], "--from", "joe@laptop.test", "--rcpt", Outside, "--timeout", "30s");

            Assert.True(code == 0, output);
            Assert.Contains("client cert    asked for", output, StringComparison.Ordinal);
            Assert.Contains("  ours         /C=US/ST=Washington/O=Foo Enterprises/CN=Joe User: session went on", output, StringComparison.Ordinal);
            Assert.Contains("relay          with our client certificate:", output, StringComparison.Ordinal);
            Assert.Contains($"RCPT TO:<{Outside}> {rcptReply}", output, StringComparison.Ordinal);
            var verify = certificate == "client" ? "verify=OK" : "verify=FAIL";
            await server.WaitForLogAsync(l => l.Contains("STARTTLS=server", StringComparison.Ordinal) && l.Contains(verify, StringComparison.Ordinal));
            // Accepted or not, RSET came before DATA: nothing was queued.
            Assert.DoesNotContain(": from=<", server.Log, StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(server, pki);
        }
    }

    [Fact]
    public async Task An_unreachable_server_exits_69_and_a_usage_error_64()
    {
        var port = PortNobodyListensOn();
        var (code, output) = await Binary.RunAsync("check", "127.0.0.1:" + Port(port), "--timeout", "5s");
        Assert.True(code == 69, output);
        Assert.Contains("cannot connect", output, StringComparison.Ordinal);

        var (usage, message) = await Binary.RunAsync("check", "127.0.0.1:25", "--starttls", "--implicit");
        Assert.True(usage == 64, message);
    }

    [Fact]
    public async Task Postfix_demanding_a_client_certificate_lists_its_ca_and_accepts_ours()
    {
        using var pki = new TestPki();
        var (code, output, log) = await CheckPrivatePostfixAsync(pki, "", port => ["check", "127.0.0.1:" + Port(port), "--ca", pki["ca.pem"], "--servername", "localhost",
            "--cert", pki["client.pem"], "--key", pki["client.key"], "--from", "joe@laptop.test", "--rcpt", Outside, "--timeout", "30s"]);

        Assert.True(code == 0, output + "\npostfix log:\n" + log);
        Assert.Contains("greeting       220 postfix.test ESMTP", output, StringComparison.Ordinal);
        Assert.Contains("verify         OK against", output, StringComparison.Ordinal);
        Assert.Contains("host name      localhost matches", output, StringComparison.Ordinal);
        Assert.Contains("client cert    asked for; acceptable issuers: ", output, StringComparison.Ordinal);
        Assert.Contains("Joe's Certificate Authority", output, StringComparison.Ordinal);
        Assert.Contains("session went on", output, StringComparison.Ordinal);
        Assert.Contains("EHLO (TLS)", output, StringComparison.Ordinal);
        // permit_tls_all_clientcerts: the certificate relays; RSET, so Postfix queued nothing.
        Assert.Matches(@"RCPT TO:<friend@far-away\.example> 250 2\.1\.5", output);
        Assert.Contains("relay-accepted", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postfix_without_starttls_is_flagged_and_refuses_the_relay()
    {
        using var pki = new TestPki();
        var (code, output, log) = await CheckPrivatePostfixAsync(pki, "smtpd_tls_security_level = none\nsmtpd_tls_ask_ccert = no\nsmtpd_tls_req_ccert = no\n",
            port => ["check", "127.0.0.1:" + Port(port), "--from", "joe@laptop.test", "--rcpt", Outside, "--timeout", "30s"]);

        var context = output + "\npostfix log:\n" + log;
        Assert.True(code == 1, context);
        Assert.True(output.Contains("! no-starttls:", StringComparison.Ordinal), context);
        Assert.DoesNotContain("TLS            ", output, StringComparison.Ordinal);
        Assert.Matches(@"RCPT TO:<friend@far-away\.example> 554 5\.7\.1", output);
        Assert.DoesNotContain("open-relay", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs `postern check` against a private Postfix and returns its exit code, output and Postfix's
    /// log. A Postfix that accepted the connection but never greeted (seen now and then on a loaded
    /// machine, with nothing from its smtpd in its log) is not what the test is about: the check runs
    /// once more against a fresh instance on another port, and the first try's output goes with the
    /// second's. Every assertion is made on the run that reached Postfix.
    /// </summary>
    private static async Task<(int Code, string Output, string Log)> CheckPrivatePostfixAsync(TestPki pki, string extraMainCf, Func<int, string[]> arguments)
    {
        var earlier = "";
        for (var attempt = 1; ; attempt++)
        {
            await using var postfix = await PostfixInstance.StartAsync(pki, extraMainCf);
            var (code, output) = await Binary.RunAsync(arguments(postfix.Port));
            var silent = output.Contains("session        broke off: no answer within", StringComparison.Ordinal);
            if (!silent || attempt == 2)
            {
                return (code, output, postfix.Log + earlier);
            }
            earlier = $"\n(first try, port {Port(postfix.Port)}: no greeting)\n{output}\npostfix log of the first try:\n{postfix.Log}";
        }
    }

    private static int PortNobodyListensOn()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
