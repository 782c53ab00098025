namespace Postern.EndToEnd;

/// <summary>TLS with real clients: swaks, openssl s_client, python3 ssl, curl smtps://.</summary>
public sealed class TlsTests(TlsServer fixture) : IClassFixture<TlsServer>
{
    private PosternProcess Server => fixture.Server;

    private TestPki Pki => fixture.Pki;

    [Fact]
    public async Task Swaks_delivers_over_starttls_and_over_implicit_tls()
    {
        var starttls = Token();
        var (code, output) = await ExternalCommand.RunAsync("swaks", "--tls", "--server", Server.EndPoint("msa").ToString(),
            "--to", "user@localhost", "--from", "a@example.org", "--header", "Subject: " + starttls);
        Assert.True(code == 0, output);
        var implicitTls = Token();
        (code, output) = await ExternalCommand.RunAsync("swaks", "--tlsc", "--server", Server.EndPoint("smtps").ToString(),
            "--to", "user@localhost", "--from", "a@example.org", "--header", "Subject: " + implicitTls);
        Assert.True(code == 0, output);
        Assert.Contains("with ESMTPS id", await Server.WaitForMailAsync("user", starttls), StringComparison.Ordinal);
        Assert.Matches(@"\(version=TLSv1\.3 cipher=TLS_\w+ bits=\d+ verify=NOT\)", await Server.WaitForMailAsync("user", implicitTls));
    }

    [Theory]
    [InlineData("client", "verify=OK")]
    [InlineData("forged", "verify=FAIL")]
    public async Task A_client_certificate_from_the_ca_verifies_and_a_forgery_with_the_same_dns_does_not(string certificate, string expected)
    {
        var token = Token();
        var script = $$"""
            import smtplib, ssl
            context = ssl.create_default_context(cafile="{{Pki["ca.pem"]}}")
            context.load_cert_chain("{{Pki[certificate + ".pem"]}}", "{{Pki[certificate + ".key"]}}")
            s = smtplib.SMTP("127.0.0.1", {{Server.Mta.Port}}, local_hostname="laptop.test", timeout=30)
            s.starttls(context=context)
            s.ehlo("laptop.test")
            s.sendmail("joe@example.org", ["user@localhost"], "Subject: {{token}}\r\n\r\nfrom a laptop\r\n")
            s.quit()
            """;
        var (code, output) = await ExternalCommand.RunAsync("python3", "-c", script);
        Assert.True(code == 0, output);
        Assert.Contains(expected + ")", await Server.WaitForMailAsync("user", token), StringComparison.Ordinal);
        var line = await Server.WaitForLogAsync(l => l.Contains("STARTTLS=server, relay=laptop.test [127.0.0.1]", StringComparison.Ordinal)
            && l.Contains(expected, StringComparison.Ordinal) && l.Contains("cert-subject=/C=US/ST=Washington/O=Foo Enterprises/CN=Joe User", StringComparison.Ordinal));
        Assert.Contains("cert-issuer=/C=US/ST=Washington/O=Foo Enterprises/CN=Joe's Certificate Authority", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Openssl_s_client_sees_starttls_and_presents_a_client_certificate()
    {
        var (code, output) = await ExternalCommand.RunAsync("sh", "-c",
            $"printf 'EHLO openssl.test\\r\\nQUIT\\r\\n' | openssl s_client -starttls smtp -connect {Server.Mta} -cert {Pki["client.pem"]} -key {Pki["client.key"]} -CAfile {Pki["ca.pem"]} -verify_return_error -ign_eof");
        Assert.True(code == 0, output);
        Assert.Contains("Verify return code: 0 (ok)", output, StringComparison.Ordinal);
        Assert.Contains("221 2.0.0", output, StringComparison.Ordinal);
        // s_client says EHLO mail.example.com before STARTTLS.
        await Server.WaitForLogAsync(l => l.Contains("STARTTLS=server, relay=mail.example.com [127.0.0.1]", StringComparison.Ordinal)
            && l.Contains("verify=OK", StringComparison.Ordinal) && l.Contains("cert-subject=/C=US/ST=Washington/O=Foo Enterprises/CN=Joe User", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("-tls1")]
    [InlineData("-tls1_1")]
    public async Task Tls_1_0_and_1_1_are_refused(string protocol)
    {
        var (code, output) = await ExternalCommand.RunAsync("sh", "-c",
            $"echo QUIT | openssl s_client -connect {Server.EndPoint("smtps")} {protocol} -cipher DEFAULT@SECLEVEL=0 -ign_eof");
        Assert.True(code != 0, output);
        Assert.DoesNotContain("220 localhost ESMTP", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curl_delivers_over_smtps()
    {
        var token = Token();
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, $"From: a@example.org\r\nTo: alice@localhost\r\nSubject: {token}\r\n\r\nfrom curl over smtps\r\n");
        var (code, output) = await ExternalCommand.RunAsync("curl", "-sS", "--max-time", "30", "--cacert", Pki["ca.pem"],
            "smtps://localhost:" + Server.EndPoint("smtps").Port + "/client.test",
            "--mail-from", "a@example.org", "--mail-rcpt", "alice@localhost", "-T", file);
        File.Delete(file);
        Assert.True(code == 0, output);
        Assert.Contains("from curl over smtps", await Server.WaitForMailAsync("alice", token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plaintext_pipelined_with_starttls_gets_no_reply_over_tls()
    {
        var script = $$"""
            import socket, ssl
            raw = socket.create_connection(("127.0.0.1", {{Server.Mta.Port}}), timeout=30)
            f = raw.makefile("rb")
            def reply(stream):
                lines = []
                while True:
                    line = stream.readline()
                    lines.append(line)
                    if line[3:4] != b"-":
                        return b"".join(lines)
            assert reply(f).startswith(b"220")
            raw.sendall(b"EHLO t\r\n")
            assert reply(f).startswith(b"250")
            raw.sendall(b"STARTTLS\r\nRSET\r\n")
            assert reply(f).startswith(b"220 2.0.0")
            context = ssl.create_default_context(cafile="{{Pki["ca.pem"]}}")
            tls = context.wrap_socket(raw, server_hostname="localhost")
            g = tls.makefile("rb")
            tls.sendall(b"VRFY x\r\n")
            first = reply(g)
            assert first.startswith(b"252"), first
            tls.sendall(b"QUIT\r\n")
            assert reply(g).startswith(b"221")
            """;
        var (code, output) = await ExternalCommand.RunAsync("python3", "-c", script);
        Assert.True(code == 0, output);
    }

    private static string Token() => "tls-" + Guid.NewGuid().ToString("N");
}
