namespace Postern.EndToEnd;

/// <summary>
/// <c>postern access check</c> against a real configuration and access map: Joe's certificate is
/// verified against tls.ca_file and permitted by the CERTISSUER line (named file:line); the
/// forgery fails verification and falls through to reject_unauth_destination.
/// </summary>
public sealed class AccessCheckCommandTests
{
    [Theory]
    [InlineData("client", 0)]
    [InlineData("forged", 1)]
    public async Task Explains_the_relay_decision_for_a_certificate(string certificate, int expectedExit)
    {
        using var pki = new TestPki();
        var dataDir = PosternProcess.NewDataDir();
        try
        {
            var (entryCode, entry) = await Binary.RunAsync("cert", "access-entry", pki["client.pem"]);
            Assert.True(entryCode == 0, entry);
            // The entry on line 3, after a comment and a sender entry.
            await File.WriteAllTextAsync(Path.Combine(dataDir, "access"), "# laptops\nFrom:someone@elsewhere.test\tOK\n" + entry);
            var configPath = Path.Combine(dataDir, "postern.toml");
            await File.WriteAllTextAsync(configPath, CertificateHub.Config(pki, sinkPort: 25));

            var (code, output) = await Binary.RunAsync("access", "check", "--config", configPath, "--data-dir", dataDir,
                "--client", "203.0.113.7", "--cert", pki[certificate + ".pem"], "--from", "a@laptop.test", "--rcpt", "b@remote.test");

            Assert.True(code == expectedExit, output);
            var steps = output.ReplaceLineEndings("\n").Split('\n');
            var certificateStep = Assert.Single(steps, l => l.TrimStart().StartsWith("permit_tls_clientcerts", StringComparison.Ordinal));
            var guard = steps.SingleOrDefault(l => l.TrimStart().StartsWith("reject_unauth_destination", StringComparison.Ordinal));
            if (expectedExit == 0)
            {
                Assert.Contains("verify=OK", output, StringComparison.Ordinal);
                Assert.Contains("PERMIT", certificateStep, StringComparison.Ordinal);
                Assert.Contains("/access:3 ", certificateStep, StringComparison.Ordinal);
                Assert.Contains("=> ACCEPT: permit_tls_clientcerts: ", output, StringComparison.Ordinal);
                Assert.Null(guard);
                Assert.Contains("result: accepted", output, StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains("verify=FAIL", output, StringComparison.Ordinal);
                Assert.DoesNotContain("PERMIT", certificateStep, StringComparison.Ordinal);
                Assert.DoesNotContain("access:3", certificateStep, StringComparison.Ordinal);
                Assert.NotNull(guard);
                Assert.Contains("REJECT", guard, StringComparison.Ordinal);
                Assert.Contains("550 5.7.1 <b@remote.test>: Relaying denied", guard, StringComparison.Ordinal);
                Assert.Contains("result: refused", output, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
