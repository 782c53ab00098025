using System.Globalization;

namespace Postern.EndToEnd.Acme;

/// <summary>
/// A challenge the CA cannot validate: after a first issuance the daemon restarts with its http-01
/// responder on a port pebble does not connect to (as when a firewall or a proxy takes port 80), a
/// forced renewal fails with pebble's problem in the error, and the certificate issued before is
/// still served.
/// </summary>
public sealed class AcmeFailingChallengeTests
{
    [Fact]
    public async Task A_challenge_pebble_cannot_reach_fails_the_renewal_and_keeps_the_old_certificate()
    {
        await using var ca = await AcmeTestCa.StartAsync();
        var dataDir = PosternProcess.NewDataDir();
        try
        {
            string serial;
            await using (var first = await PosternProcess.StartAsync(AcmePostern.Config(ca).ToToml(), dataDir, listeners: 2))
            {
                await AcmePostern.WaitForIssuedAsync(first, ca);
                serial = (await ServedCertificate.FetchAsync(first.Mta.Port, starttls: true, AcmePostern.HostName, ca.RootFile)).Serial;
                first.Terminate();
                Assert.True(await first.WaitForExitAsync(TimeSpan.FromSeconds(30)), first.Log);
            }

            // Restarted with the responder elsewhere: the live certificate is not due, so it serves at once.
            var elsewhere = ForegroundDaemon.FreePort();
            await using var server = await PosternProcess.StartAsync(AcmePostern.Config(ca, httpPort: elsewhere).ToToml(), dataDir, listeners: 2);
            var restarted = await ServedCertificate.FetchAsync(server.Mta.Port, starttls: true, AcmePostern.HostName, ca.RootFile);
            Assert.Equal(serial, restarted.Serial);

            var (code, output) = await AcmePostern.RunAsync(server, "cert", "acme", "renew", "--force", "--wait", "60s");
            Assert.True(code != 0, output);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
            var failure = await server.WaitForLogAsync(l => l.Contains($"acme: order for {AcmePostern.HostName} failed: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            // Pebble's own words: it could not connect to the responder where it expects one.
            Assert.Contains("connection", failure, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("keeping the current certificate", failure, StringComparison.Ordinal);
            Assert.Contains($"Attempting to validate w/ HTTP: http://{AcmePostern.HostName}:{ca.HttpPort.ToString(CultureInfo.InvariantCulture)}/", ca.Pebble.Output, StringComparison.Ordinal);

            var after = await ServedCertificate.FetchAsync(server.Mta.Port, starttls: true, AcmePostern.HostName, ca.RootFile);
            Assert.True(after.Verified, after.Output);
            Assert.Equal(serial, after.Serial);

            var (statusCode, status) = await AcmePostern.RunAsync(server, "cert", "acme", "status");
            Assert.True(statusCode == 0, status);
            Assert.Contains("connection", status, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
