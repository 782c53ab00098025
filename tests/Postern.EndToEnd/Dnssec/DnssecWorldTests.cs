using DnsClient;

namespace Postern.EndToEnd.Dnssec;

/// <summary>
/// The DNSSEC fixture itself, before any test builds on it: the private unbound answers names of
/// the signed zone with AD, a broken signature and the bogus child with SERVFAIL, the unsigned
/// child without AD, and a missing name with an authenticated NXDOMAIN. If these fail, the DANE
/// tests' results say nothing about Postern.
/// </summary>
public sealed class DnssecWorldTests(DnssecWorldTests.World world) : IClassFixture<DnssecWorldTests.World>
{
    private const string Tlsa = "3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public sealed class World : IAsyncLifetime
    {
        public DnssecWorld Dns { get; private set; } = null!;

        public async Task InitializeAsync() => Dns = await DnssecWorld.StartAsync(
            [
                $"signed.{DnssecWorld.Zone}. A 127.0.0.2",
                $"_25._tcp.signed.{DnssecWorld.Zone}. TLSA {Tlsa}",
                $"broken.{DnssecWorld.Zone}. A 127.0.0.3",
                $"_25._tcp.broken.{DnssecWorld.Zone}. TLSA {Tlsa}",
                $"mx.{DnssecWorld.InsecureZone}. A 127.0.0.4",
            ],
            breakSignature: (owner, type) => owner == $"_25._tcp.broken.{DnssecWorld.Zone}." && type == "TLSA");

        public async Task DisposeAsync() => await Dns.DisposeAsync();
    }

    [Theory]
    [InlineData("signed.e2e.test", QueryType.A, "NoError", true, "127.0.0.2")]
    [InlineData("_25._tcp.signed.e2e.test", QueryType.TLSA, "NoError", true, "SHA256 0123456789ABCDEF")]
    [InlineData("e2e.test", QueryType.SOA, "NoError", true, "ns.e2e.test.")]
    [InlineData("missing.e2e.test", QueryType.A, "NotExistentDomain", true, null)]
    [InlineData("broken.e2e.test", QueryType.A, "NoError", true, "127.0.0.3")]
    [InlineData("_25._tcp.broken.e2e.test", QueryType.TLSA, "ServerFailure", false, null)]
    [InlineData("failed.e2e.test", QueryType.A, "ServerFailure", false, null)]
    [InlineData("mx.failed.e2e.test", QueryType.A, "ServerFailure", false, null)]
    [InlineData("mx.insecure.e2e.test", QueryType.A, "NoError", false, "127.0.0.4")]
    [InlineData("www.example.com", QueryType.A, "NotExistentDomain", false, null)]
    public async Task The_resolver_validates_the_zones(string name, QueryType type, string code, bool authenticated, string? record)
    {
        var answer = await DnsAnswer.QueryAsync(world.Dns.ResolverAddress, name, type);
        var context = $"{name} {type}: {answer}\n{string.Join('\n', answer.Records)}\nunbound:\n{world.Dns.Resolver.Log}";
        Assert.True(answer.Code.ToString() == code, context);
        Assert.True(answer.Authenticated == authenticated, context);
        if (record is null)
        {
            Assert.True(answer.Records.Count == 0, context);
        }
        else
        {
            Assert.True(answer.Records.Any(r => r.Contains(record, StringComparison.Ordinal)), context);
        }
    }
}
