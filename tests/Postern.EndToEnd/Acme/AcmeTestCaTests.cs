using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using DnsClient;

namespace Postern.EndToEnd.Acme;

/// <summary>
/// The ACME fixtures themselves, before any test builds on them: pebble answers its directory over
/// HTTPS with the test's certificate, hands out a root CA that signs its intermediate, requires
/// external account binding when given MAC keys, and is really gone once stopped; challtestsrv
/// answers every name with 127.0.0.1 and no IPv6 address. If these fail, the ACME tests' results
/// say nothing about Postern.
/// </summary>
public sealed class AcmeTestCaTests
{
    [Fact]
    public async Task Pebble_serves_its_directory_and_root_and_challtestsrv_points_every_name_at_loopback()
    {
        await using var ca = await AcmeTestCa.StartAsync();
        using var client = TrustingHttpClient.Create(ca.Pebble.HttpsCaFile);
        using var directory = JsonDocument.Parse(await client.GetStringAsync(ca.Pebble.DirectoryUrl));
        foreach (var resource in new[] { "newNonce", "newAccount", "newOrder" })
        {
            Assert.StartsWith(ca.Pebble.DirectoryUrl[..^"/dir".Length], directory.RootElement.GetProperty(resource).GetString(), StringComparison.Ordinal);
        }
        Assert.False(directory.RootElement.GetProperty("meta").GetProperty("externalAccountRequired").GetBoolean());

        using var root = X509Certificate2.CreateFromPem(File.ReadAllText(ca.RootFile));
        using var intermediate = X509Certificate2.CreateFromPem(File.ReadAllText(ca.Pebble.IntermediateFile));
        Assert.StartsWith("CN=Pebble Root CA", root.Subject, StringComparison.Ordinal);
        Assert.Equal(root.Subject, intermediate.Issuer);
        Assert.True(root.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);

        foreach (var name in new[] { "mail.e2e.test", "other.example.org" })
        {
            var a = await DnsAnswer.QueryAsync(ca.Dns!.Address, name, QueryType.A);
            Assert.True(a.Records.Count == 1 && a.Records[0].EndsWith("127.0.0.1", StringComparison.Ordinal), string.Join('\n', a.Records) + "\n" + ca.Output);
            var aaaa = await DnsAnswer.QueryAsync(ca.Dns.Address, name, QueryType.AAAA);
            Assert.True(aaaa.Records.Count == 0, string.Join('\n', aaaa.Records));
        }

        await ca.Pebble.StopAsync();
        Assert.True(ca.Pebble.HasExited);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(ca.Pebble.DirectoryUrl));
    }

    [Fact]
    public async Task Pebble_with_mac_keys_requires_external_account_binding()
    {
        await using var ca = await AcmeTestCa.StartAsync(eabKeys: new Dictionary<string, string> { ["kid-1"] = AcmeEab.MacKey });
        using var client = TrustingHttpClient.Create(ca.Pebble.HttpsCaFile);
        using var directory = JsonDocument.Parse(await client.GetStringAsync(ca.Pebble.DirectoryUrl));
        Assert.True(directory.RootElement.GetProperty("meta").GetProperty("externalAccountRequired").GetBoolean());
    }
}
