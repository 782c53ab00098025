namespace Postern.EndToEnd;

/// <summary>TLS that needs a server of its own: the generated certificate, and hot reload.</summary>
public sealed class TlsLifecycleTests
{
    [Fact]
    public async Task Without_certificates_a_local_ca_and_server_certificate_are_made_on_first_start()
    {
        var server = await PosternProcess.StartAsync(PosternProcess.Config().Replace("role = \"msa\"", "role = \"msa\"\ntls = \"starttls\"", StringComparison.Ordinal));
        try
        {
            var tlsDir = Path.Combine(server.DataDir, "tls");
            Assert.True(File.Exists(Path.Combine(tlsDir, "server.pem")), server.Log);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(tlsDir, "server.key")));
            await server.WaitForLogAsync(l => l.Contains(tlsDir, StringComparison.Ordinal));
            var (code, output) = await ExternalCommand.RunAsync("sh", "-c",
                $"echo QUIT | openssl s_client -starttls smtp -connect {server.Msa} -ign_eof 2>&1 | openssl x509 -noout -subject -issuer -nameopt compat");
            Assert.True(code == 0, output);
            Assert.Contains("subject=/CN=localhost", output, StringComparison.Ordinal);
            Assert.Contains("issuer=/CN=Postern local CA for localhost", output, StringComparison.Ordinal);
            (code, output) = await ExternalCommand.RunAsync("swaks", "--tls", "--server", server.Msa.ToString(), "--to", "user@localhost");
            Assert.True(code == 0, output);
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(server.DataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_certificate_replaced_on_disk_is_used_by_the_next_session_without_dropping_the_open_one()
    {
        using var pki = new TestPki();
        var dataDir = PosternProcess.NewDataDir();
        File.Copy(pki["server.pem"], Path.Combine(dataDir, "live.pem"));
        File.Copy(pki["server.key"], Path.Combine(dataDir, "live.key"));
        var config = TlsServer.Config(pki).Replace(pki["server.pem"], "live.pem", StringComparison.Ordinal).Replace(pki["server.key"], "live.key", StringComparison.Ordinal);
        var server = await PosternProcess.StartAsync(config, dataDir, listeners: 3);
        try
        {
            var script = $$"""
                import smtplib, ssl, hashlib, shutil, time, sys
                context = ssl.create_default_context(cafile="{{pki["ca.pem"]}}")
                def fingerprint():
                    s = smtplib.SMTP("127.0.0.1", {{server.Msa.Port}}, timeout=30)
                    s.starttls(context=context)
                    print_fp = hashlib.sha256(s.sock.getpeercert(binary_form=True)).hexdigest()
                    s.quit()
                    return print_fp
                held = smtplib.SMTP("127.0.0.1", {{server.Msa.Port}}, timeout=30)
                held.starttls(context=context)
                held.ehlo("held.test")
                before = fingerprint()
                shutil.copy("{{pki["server2.pem"]}}", "{{dataDir}}/live.pem.new")
                shutil.copy("{{pki["server2.key"]}}", "{{dataDir}}/live.key")
                shutil.move("{{dataDir}}/live.pem.new", "{{dataDir}}/live.pem")
                deadline = time.time() + 30
                after = before
                while after == before and time.time() < deadline:
                    time.sleep(0.5)
                    after = fingerprint()
                assert after != before, "the new certificate was never used"
                code, _ = held.noop()
                assert code == 250, code
                held.quit()
                """;
            var (code, output) = await ExternalCommand.RunAsync("python3", "-c", script);
            Assert.True(code == 0, output + "\n" + server.Log);
            await server.WaitForLogAsync(l => l.Contains("reloaded TLS", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
