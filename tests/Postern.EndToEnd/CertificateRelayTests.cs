namespace Postern.EndToEnd;

/// <summary>
/// Seeds 000 and 004 end to end: with the seeds' CERTISSUER entry, a client certificate from the
/// trusted CA may relay; the same DNs on a forged certificate, or no certificate, may not.
/// </summary>
public sealed class CertificateRelayTests
{
    [Theory]
    [InlineData("client", 250)]
    [InlineData("forged", 550)]
    [InlineData("", 550)]
    public async Task Only_a_verified_certificate_from_the_listed_issuer_relays(string certificate, int expected)
    {
        using var pki = new TestPki();
        var dataDir = PosternProcess.NewDataDir();
        var accessMap = Path.Combine(dataDir, "access");
        await File.WriteAllTextAsync(accessMap,
            "# as the seeds' openssl x509 -issuer -nameopt compat | sed pipeline writes it\n"
            + "CERTIssuer:/C=US/ST=Washington/O=Foo+20Enterprises/CN=Joe's+20Certificate+20Authority\tRELAY\n");
        var server = await PosternProcess.StartAsync(TlsServer.Config(pki) + "\n\n[policy]\naccess_map = \"access\"\n", dataDir, listeners: 3);
        try
        {
            var load = certificate.Length == 0 ? "" : $"context.load_cert_chain(\"{pki[certificate + ".pem"]}\", \"{pki[certificate + ".key"]}\")";
            var script = $$"""
                import smtplib, ssl, sys
                context = ssl.create_default_context(cafile="{{pki["ca.pem"]}}")
                {{load}}
                s = smtplib.SMTP("127.0.0.1", {{server.Mta.Port}}, local_hostname="laptop.test", timeout=30)
                s.starttls(context=context)
                s.ehlo("laptop.test")
                s.mail("joe@laptop.test")
                code, text = s.rcpt("friend@far-away.example")
                print(code, text.decode())
                s.quit()
                """;
            var (code, output) = await ExternalCommand.RunAsync("python3", "-c", script);
            Assert.True(code == 0, output);
            Assert.Contains("\n" + expected.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ", output, StringComparison.Ordinal);
            if (expected == 550)
            {
                Assert.Contains("5.7.1", output, StringComparison.Ordinal);
                await server.WaitForLogAsync(l => l.Contains("ruleset=check_rcpt, arg1=<friend@far-away.example>", StringComparison.Ordinal));
            }
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Access_entry_prints_the_line_the_seeds_openssl_and_sed_pipeline_makes()
    {
        using var pki = new TestPki();
        var (code, output) = await Binary.RunAsync("cert", "access-entry", pki["client.pem"]);
        Assert.True(code == 0, output);
        var line = output.Trim();
        Assert.Equal("CERTISSUER:/C=US/ST=Washington/O=Foo+20Enterprises/CN=Joe's+20Certificate+20Authority\tRELAY", line);

        // The seed's pipeline (OpenSSL 3 prints no space after "issuer="): the DN parts must agree.
        var (sedCode, sed) = await ExternalCommand.RunAsync("sh", "-c",
            $"openssl x509 -in {pki["client.pem"]} -noout -issuer -nameopt compat | sed -e 's,^issuer= *,,' -e 's, ,+20,g'");
        Assert.True(sedCode == 0, sed);
        Assert.Equal(sed.Split('\n')[1].Trim(), line["CERTISSUER:".Length..line.IndexOf('\t', StringComparison.Ordinal)]);

        var (subjectCode, subject) = await Binary.RunAsync("cert", "access-entry", pki["client.pem"], "--subject", "--spki");
        Assert.True(subjectCode == 0, subject);
        Assert.Matches(@"^CERTSPKI:sha256:[0-9a-f]{64}\tRELAY\nCERTISSUER:\S+\tSUBJECT\nCERTSUBJECT:/C=US/ST=Washington/O=Foo\+20Enterprises/CN=Joe\+20User\tRELAY$", subject.Trim().ReplaceLineEndings("\n"));

        var (badCode, bad) = await Binary.RunAsync("cert", "access-entry", pki["ca.pem"] + ".missing");
        Assert.Equal(65, badCode);
        Assert.Contains("not a readable certificate", bad, StringComparison.Ordinal);
    }
}
