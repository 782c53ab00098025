using System.Diagnostics;
using System.Globalization;

namespace Postern.EndToEnd.Acme;

/// <summary>
/// The issue's promise end to end: a fresh daemon with <c>[acme]</c> and no certificate of its own
/// gets one from a private pebble by http-01 within a minute, and serves it on STARTTLS and on
/// implicit TLS without a restart; openssl verifies the chain against pebble's root and the name,
/// swaks delivers over it with verification on.
/// </summary>
public sealed class AcmeHttp01Tests
{
    [Fact]
    public async Task A_fresh_daemon_obtains_its_certificate_by_http01_and_serves_it_on_starttls_and_implicit_tls_without_restart()
    {
        await using var ca = await AcmeTestCa.StartAsync();
        var dataDir = PosternProcess.NewDataDir();
        try
        {
            var clock = Stopwatch.StartNew();
            await using var server = await PosternProcess.StartAsync(AcmePostern.Config(ca).WithMetrics().ToToml(), dataDir, listeners: 2);
            // Until the CA answers, the generated certificate serves, and the daemon says so.
            await server.WaitForLogAsync(l => l.Contains($"serving the self-signed certificate for {AcmePostern.HostName} until ACME issues one", StringComparison.Ordinal));
            var issued = await AcmePostern.WaitForIssuedAsync(server, ca, wait: TimeSpan.FromSeconds(60));
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"issued after {clock.Elapsed}");
            Assert.Matches(@"valid until \d{4}-\d{2}-\d{2}, next renewal \d{4}-\d{2}-\d{2} \(renew_before\)", issued);
            Assert.Contains($"Attempting to validate w/ HTTP: http://{AcmePostern.HostName}:{ca.HttpPort}/.well-known/acme-challenge/", ca.Pebble.Output, StringComparison.Ordinal);

            // The live file: key and chain in one file, 0600, the leaf for the host name.
            var live = AcmePostern.LiveFile(dataDir);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(live));
            Assert.Contains("PRIVATE KEY-----", await File.ReadAllTextAsync(live), StringComparison.Ordinal);
            using var leaf = AcmePostern.LiveLeaf(dataDir);

            // The next handshake has it, on both kinds of listener, with the same process.
            var starttls = await ServedCertificate.FetchAsync(server.Mta.Port, starttls: true, AcmePostern.HostName, ca.RootFile);
            var implicitTls = await ServedCertificate.FetchAsync(server.EndPoint("smtps").Port, starttls: false, AcmePostern.HostName, ca.RootFile);
            foreach (var served in new[] { starttls, implicitTls })
            {
                Assert.True(served.Verified, served.Output);
                Assert.Equal(leaf.SerialNumber, served.Serial);
                Assert.Equal(new[] { AcmePostern.HostName }, served.DnsNames);
                Assert.Equal("ecdsa", served.KeyType);
                Assert.StartsWith("CN=Pebble Intermediate CA", served.Leaf.Issuer, StringComparison.Ordinal);
                Assert.True(served.Chain.Count >= 2, "the intermediate is sent too:\n" + served.Output);
            }
            Assert.False(server.HasExited);

            // swaks delivers over it, verifying the chain against pebble's root.
            var token = "acme-" + Guid.NewGuid().ToString("N")[..10];
            var (code, transcript) = await ExternalCommand.RunAsync("swaks", "--server", "127.0.0.1", "--port", server.Mta.Port.ToString(CultureInfo.InvariantCulture),
                "--ehlo", "client.e2e.test", "--from", "sender@client.e2e.test", "--to", "user@" + AcmePostern.HostName, "--tls", "--tls-verify",
                "--tls-ca-path", ca.RootFile, "--tls-sni", AcmePostern.HostName, "--timeout", "30", "--header", "Subject: " + token, "--body", "over the ACME certificate");
            Assert.True(code == 0, transcript);
            Assert.Contains("TLS started", transcript, StringComparison.Ordinal);
            await server.WaitForMailAsync("user", token);

            // The status command reads the same files; the metrics count the order and the validity left.
            var (statusCode, status) = await AcmePostern.RunAsync(server, "cert", "acme", "status");
            Assert.True(statusCode == 0, status);
            Assert.Contains(AcmePostern.HostName, status, StringComparison.Ordinal);
            Assert.Contains(ca.Pebble.DirectoryUrl, status, StringComparison.Ordinal);
            Assert.Contains(leaf.SerialNumber.TrimStart('0'), status.ToUpperInvariant().Replace(":", "", StringComparison.Ordinal), StringComparison.Ordinal);
            var metrics = await AcmePostern.ScrapeAsync(server);
            Assert.Equal(1, AcmePostern.Metric(metrics, "postern_acme_orders_total{result=\"issued\"}"));
            var expiry = AcmePostern.Metric(metrics, "postern_acme_certificate_expiry_seconds{key_type=\"ecdsa\"}");
            Assert.True(expiry is > 89 * 86400 and <= 90 * 86400, metrics);
            Assert.Equal(0, AcmePostern.Metric(metrics, "postern_acme_renewal_failures"));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_responder_port_in_use_stops_the_start_with_one_line_naming_the_key()
    {
        await using var ca = await AcmeTestCa.StartAsync();
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, ca.HttpPort);
        occupant.Start();
        var dataDir = PosternProcess.NewDataDir();
        try
        {
            // The SMTP listeners may bind first: then the daemon exits right after announcing them.
            string log;
            try
            {
                await using var server = await PosternProcess.StartAsync(AcmePostern.Config(ca).ToToml(), dataDir, listeners: 2);
                Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the daemon kept running:\n" + server.Log);
                Assert.NotEqual(0, server.ExitCode);
                log = server.Log;
            }
            catch (InvalidOperationException error)
            {
                log = error.Message;
            }
            var line = Assert.Single(log.Split('\n'), l => l.Contains("cannot start", StringComparison.Ordinal));
            Assert.Contains("acme.http_listen", line, StringComparison.Ordinal);
            Assert.Contains("127.0.0.1:" + ca.HttpPort.ToString(CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", log, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
