using System.Text.RegularExpressions;

namespace Postern.EndToEnd.Acme;

/// <summary>
/// The CA gone (pebble stopped after the first issuance): a forced renewal fails, the daemon keeps
/// serving the certificate it has and logs one line saying so, <c>cert acme status</c> shows the
/// error and the failure count, <c>config check</c> and <c>cert list</c> warn that renewal is failing, and the metrics
/// count the failed order.
/// </summary>
public sealed partial class AcmeCaDownTests
{
    [Fact]
    public async Task With_the_ca_down_a_renewal_fails_and_the_old_certificate_is_still_served_and_reported()
    {
        await using var ca = await AcmeTestCa.StartAsync();
        var dataDir = PosternProcess.NewDataDir();
        try
        {
            await using var server = await PosternProcess.StartAsync(AcmePostern.Config(ca).WithMetrics().ToToml(), dataDir, listeners: 2);
            await AcmePostern.WaitForIssuedAsync(server, ca);
            var before = await ServedCertificate.FetchAsync(server.Mta.Port, starttls: true, AcmePostern.HostName, ca.RootFile);
            Assert.True(before.Verified, before.Output);

            await ca.Pebble.StopAsync();
            var (code, output) = await AcmePostern.RunAsync(server, "cert", "acme", "renew", "--force", "--wait", "60s");
            Assert.True(code != 0, output);
            Assert.Contains("fail", output, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);

            // One line in the daemon's log: what failed, that the current certificate stays, when it tries again.
            var failure = await server.WaitForLogAsync(l => l.Contains($"acme: order for {AcmePostern.HostName}", StringComparison.Ordinal)
                && l.Contains(" failed: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            var match = FailureLine().Match(failure);
            Assert.True(match.Success, failure);
            var error = match.Groups["error"].Value;

            // The certificate it had is still the one served, and the live file is untouched.
            var after = await ServedCertificate.FetchAsync(server.Mta.Port, starttls: true, AcmePostern.HostName, ca.RootFile);
            Assert.True(after.Verified, after.Output);
            Assert.Equal(before.Serial, after.Serial);
            using (var live = AcmePostern.LiveLeaf(dataDir))
            {
                Assert.Equal(before.Serial, live.SerialNumber);
            }
            Assert.False(server.HasExited);

            var (statusCode, status) = await AcmePostern.RunAsync(server, "cert", "acme", "status");
            Assert.True(statusCode == 0, status);
            Assert.Contains(error, status, StringComparison.Ordinal);
            // The daemon tries again after its backoff (a minute, doubling): by now once or more.
            Assert.Matches(@"(?i)failures\W+[1-9]", status);

            var (checkCode, check) = await AcmePostern.RunAsync(server, "config", "check");
            Assert.True(checkCode == 0, check);
            Assert.Matches(@"warning: acme: ACME renewal has failed (once|\d+ times) in a row", check);

            // cert list shows the live certificate and warns too, with a non-zero exit for scripts.
            var (listCode, list) = await AcmePostern.RunAsync(server, "cert", "list");
            Assert.True(listCode != 0, list);
            Assert.Contains(AcmePostern.HostName + " (ecdsa)", list, StringComparison.Ordinal);
            Assert.Matches(@"postern: cert list: warning: ACME renewal has failed (once|\d+ times) in a row", list);

            var metrics = await AcmePostern.ScrapeAsync(server);
            Assert.Equal(1, AcmePostern.Metric(metrics, "postern_acme_orders_total{result=\"issued\"}"));
            var failed = AcmePostern.Metric(metrics, "postern_acme_orders_total{result=\"failed\"}");
            Assert.True(failed >= 1, metrics);
            Assert.True(AcmePostern.Metric(metrics, "postern_acme_renewal_failures") >= 1, metrics);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [GeneratedRegex(@"acme: order for \S+ failed: (?<error>.+); keeping the current certificate \(valid until \d{4}-\d{2}-\d{2}\), next try in \S+")]
    private static partial Regex FailureLine();
}
