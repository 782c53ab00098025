namespace Postern.EndToEnd.Acme;

/// <summary>
/// dns-01 end to end: Postern publishes the challenge's TXT record by RFC 2136 update signed with
/// TSIG to a private knotd (the zone e2e.test, found by Postern's SOA query), pebble reads it from
/// that knotd, and the record is withdrawn once the order is done. The names are the host and a
/// wildcard under it, which only dns-01 can prove; both challenges use the same TXT name.
/// </summary>
public sealed class AcmeDns01Tests
{
    [Fact]
    public async Task Dns_01_through_knot_with_tsig_issues_a_certificate_with_a_wildcard()
    {
        await using var knot = await KnotServer.StartAsync(zone: "e2e.test");
        await using var ca = await AcmeTestCa.StartAsync(dnsServer: knot.Address);
        var dataDir = PosternProcess.NewDataDir();
        try
        {
            string[] domains = [AcmePostern.HostName, "*." + AcmePostern.HostName];
            var dns = $"dns_update_server = \"{knot.Address}\"\ndns_tsig_key_file = \"{knot.TsigKeyFile}\"";
            await using var server = await PosternProcess.StartAsync(AcmePostern.Config(ca, "dns-01", dns, domains).ToToml(), dataDir, listeners: 2);
            await AcmePostern.WaitForIssuedAsync(server, ca, wait: TimeSpan.FromSeconds(90));

            // knotd took signed updates; nothing was validated over HTTP; the records are gone again.
            Assert.Contains("DDNS", knot.Log, StringComparison.Ordinal);
            Assert.DoesNotContain("Attempting to validate w/ HTTP", ca.Pebble.Output, StringComparison.Ordinal);
            Assert.Equal(2, ca.Pebble.Output.Split('\n').Count(l => l.Contains("set VALID by completed challenge", StringComparison.Ordinal)));
            Assert.Empty(await knot.TxtAsync("_acme-challenge." + AcmePostern.HostName + "."));

            foreach (var name in new[] { AcmePostern.HostName, "mx1." + AcmePostern.HostName })
            {
                var served = await ServedCertificate.FetchAsync(server.Mta.Port, starttls: true, name, ca.RootFile);
                Assert.True(served.Verified, served.Output);
                Assert.Equal(domains.Order(StringComparer.Ordinal), served.DnsNames.Order(StringComparer.Ordinal));
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
