namespace Postern.EndToEnd.Acme;

/// <summary>
/// tls-alpn-01 (RFC 8737) end to end: pebble validates by a TLS handshake with ALPN acme-tls/1 on
/// Postern's tls_alpn_listen port, and the certificate issued serves on the mail listeners. With
/// two names, both are validated and both are in the one certificate. The CA issues for 10 days
/// here: not yet due (a third of the lifetime is left), but <c>config check</c> warns that the
/// certificate expires within 14 days.
/// </summary>
public sealed class AcmeTlsAlpnTests
{
    [Fact]
    public async Task Tls_alpn_01_issues_one_certificate_for_all_the_names()
    {
        await using var ca = await AcmeTestCa.StartAsync(validity: TimeSpan.FromDays(10));
        var dataDir = PosternProcess.NewDataDir();
        try
        {
            string[] domains = [AcmePostern.HostName, "smtp.e2e.test"];
            await using var server = await PosternProcess.StartAsync(AcmePostern.Config(ca, "tls-alpn-01", domains: domains).ToToml(), dataDir, listeners: 2);
            await AcmePostern.WaitForIssuedAsync(server, ca);
            // Pebble validated both names, neither over HTTP (it logs each http-01 attempt, not tls-alpn-01's).
            Assert.Equal(2, ca.Pebble.Output.Split('\n').Count(l => l.Contains("set VALID by completed challenge", StringComparison.Ordinal)));
            Assert.DoesNotContain("Attempting to validate w/ HTTP", ca.Pebble.Output, StringComparison.Ordinal);

            foreach (var name in domains)
            {
                var served = await ServedCertificate.FetchAsync(server.Mta.Port, starttls: true, name, ca.RootFile);
                Assert.True(served.Verified, served.Output);
                Assert.Equal(domains.Order(StringComparer.Ordinal), served.DnsNames.Order(StringComparer.Ordinal));
                Assert.Equal("CN=" + AcmePostern.HostName, served.Leaf.Subject);
            }

            var (checkCode, check) = await AcmePostern.RunAsync(server, "config", "check");
            Assert.True(checkCode == 0, check);
            Assert.Matches(@"warning: acme: .*the ACME certificate \(ecdsa\) expires on \d{4}-\d{2}-\d{2}.*, in \d days", check);
            Assert.Single(server.Log.Split('\n'), l => l.Contains("acme: certificate for", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
