namespace Postern.EndToEnd.Acme;

/// <summary>
/// Hot swap end to end: <c>postern cert acme renew --force</c> against the running daemon orders a
/// new certificate (pebble proves control again: no authorization reuse), the next handshake gets
/// the new serial on both listeners, and an SMTP session that shook hands before the swap still
/// sends its message afterwards.
/// </summary>
public sealed class AcmeRenewalTests
{
    [Fact]
    public async Task A_forced_renewal_swaps_the_certificate_for_the_next_handshake_while_an_open_session_keeps_working()
    {
        await using var ca = await AcmeTestCa.StartAsync();
        var dataDir = PosternProcess.NewDataDir();
        try
        {
            await using var server = await PosternProcess.StartAsync(AcmePostern.Config(ca).ToToml(), dataDir, listeners: 2);
            await AcmePostern.WaitForIssuedAsync(server, ca);
            var before = await ServedCertificate.FetchAsync(server.Mta.Port, starttls: true, AcmePostern.HostName, ca.RootFile);
            Assert.True(before.Verified, before.Output);

            // A session that completed its handshake (EHLO answered over TLS) before the renewal.
            using var open = OpenSslSmtpClient.Start(server.Mta.Port, certificate: null, key: null);
            var ehlo = await open.CommandAsync("EHLO laptop.test");
            Assert.True(ehlo is not null && ehlo.StartsWith("250", StringComparison.Ordinal), open.Transcript);

            var (code, output) = await AcmePostern.RunAsync(server, "cert", "acme", "renew", "--force", "--wait", "60s");
            Assert.True(code == 0, output + "\n" + server.Log + "\n" + ca.Output);
            await AcmePostern.WaitForIssuedAsync(server, ca, count: 2);
            using var renewed = AcmePostern.LiveLeaf(dataDir);
            Assert.NotEqual(before.Serial, renewed.SerialNumber);

            // The next handshake, STARTTLS or implicit, has the new certificate; no restart.
            var after = await ServedCertificate.WaitForOtherThanAsync(before.Serial, server.Mta.Port, starttls: true, AcmePostern.HostName, ca.RootFile, TimeSpan.FromSeconds(10));
            Assert.True(after.Verified, after.Output);
            Assert.Equal(renewed.SerialNumber, after.Serial);
            var implicitTls = await ServedCertificate.FetchAsync(server.EndPoint("smtps").Port, starttls: false, AcmePostern.HostName, ca.RootFile);
            Assert.Equal(renewed.SerialNumber, implicitTls.Serial);
            Assert.False(server.HasExited);

            // The session opened before the swap sends its message after it.
            var token = "renewal-" + Guid.NewGuid().ToString("N")[..10];
            var rcpt = await open.RelayAsync("joe@laptop.test", "user@" + AcmePostern.HostName, token);
            Assert.True(rcpt is not null && rcpt.StartsWith("250", StringComparison.Ordinal), open.Transcript);
            await server.WaitForMailAsync("user", token);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
