namespace Postern.EndToEnd.Auth;

/// <summary>
/// EXTERNAL without a bound user: the access map names Joe User's certificate by subject
/// (sendmail's pair: CERTISSUER: ... SUBJECT, then CERTSUBJECT: ... OK), so EXTERNAL is offered
/// and its identity is the subject DN, as sendmail's authid is; a forgery with the same DNs does
/// not verify, so it gets no EXTERNAL (seed 004).
/// </summary>
public sealed class ExternalAccessMapTests
{
    private const string Subject = "/C=US/ST=Washington/O=Foo Enterprises/CN=Joe User";

    [Theory]
    [InlineData("client", true)]
    [InlineData("forged", false)]
    public async Task Only_a_verified_certificate_named_by_subject_gets_external(string certificate, bool offered)
    {
        using var pki = new TestPki();
        await using var sink = new SmtpSink(SinkOptions.PlainNextHop);
        var dataDir = PosternProcess.NewDataDir();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dataDir, "access"),
                "CERTISSUER:/C=US/ST=Washington/O=Foo+20Enterprises/CN=Joe's+20Certificate+20Authority\tSUBJECT\n"
                + "CERTSUBJECT:/C=US/ST=Washington/O=Foo+20Enterprises/CN=Joe+20User\tOK\n");
            await using var server = await PosternProcess.StartAsync(AuthServer.Config(pki, sink.Port) + "\n[policy]\naccess_map = \"access\"\n", dataDir, listeners: 3);
            var (code, output) = await ExternalCommand.RunAsync("python3", "-c", $$"""
                import smtplib, ssl
                context = ssl.create_default_context(cafile="{{pki["ca.pem"]}}")
                context.load_cert_chain("{{pki[certificate + ".pem"]}}", "{{pki[certificate + ".key"]}}")
                s = smtplib.SMTP("localhost", {{server.EndPoint("submission").Port}}, local_hostname="laptop.test", timeout=30)
                s.starttls(context=context)
                s.ehlo("laptop.test")
                print("EHLO AUTH:", s.esmtp_features["auth"])
                print("AUTH:", s.docmd("AUTH", "EXTERNAL ="))
                s.mail("joe@example.org")
                print("RCPT:", s.rcpt("{{AuthServer.Recipient}}"))
                s.quit()
                """);
            Assert.True(code == 0, output);
            Assert.Equal(offered, output.Split('\n').Single(l => l.StartsWith("EHLO AUTH:", StringComparison.Ordinal)).Contains(" EXTERNAL", StringComparison.Ordinal));
            if (offered)
            {
                Assert.Contains("AUTH: (235, b'2.7.0", output, StringComparison.Ordinal);
                Assert.Contains("RCPT: (250, ", output, StringComparison.Ordinal);
                await server.WaitForLogAsync(l => l.Contains($"authid={Subject}, mech=EXTERNAL, bits=0", StringComparison.Ordinal));
            }
            else
            {
                Assert.Contains("AUTH: (504, b'5.5.4", output, StringComparison.Ordinal);
                Assert.Contains("RCPT: (550, b'5.7.1", output, StringComparison.Ordinal);
                Assert.DoesNotContain("mech=EXTERNAL", server.Log, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
