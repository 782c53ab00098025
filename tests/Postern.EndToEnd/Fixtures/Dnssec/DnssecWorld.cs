namespace Postern.EndToEnd.Fixtures.Dnssec;

/// <summary>
/// Real DNSSEC on loopback: the zone <c>e2e.test</c> signed at test time and served by a private
/// nsd, and a private unbound that validates it from its trust anchor. Under it two children:
/// <c>failed.e2e.test</c>, delegated with a DS but every signature broken (bogus: SERVFAIL, as
/// dnssec-failed.org is on the Internet), and <c>insecure.e2e.test</c>, delegated without a DS and
/// unsigned (insecure: answers without AD). A test class starts one world with its records (an
/// xunit class fixture) and points <c>delivery.dns_servers</c> at <see cref="ResolverAddress"/>.
/// </summary>
public sealed class DnssecWorld : IAsyncDisposable
{
    public const string Zone = "e2e.test";

    /// <summary>The bogus child: its DS is in the signed parent, its every RRSIG is broken.</summary>
    public const string FailedZone = "failed." + Zone;

    /// <summary>The unsigned child: a delegation without DS, proven insecure by the parent's NSEC.</summary>
    public const string InsecureZone = "insecure." + Zone;

    private readonly string _directory;

    private DnssecWorld(string directory, NsdServer authority, UnboundServer resolver)
    {
        _directory = directory;
        Authority = authority;
        Resolver = resolver;
    }

    public NsdServer Authority { get; }

    public UnboundServer Resolver { get; }

    /// <summary>The validating resolver as <c>delivery.dns_servers</c> takes it.</summary>
    public string ResolverAddress => Resolver.Address;

    /// <summary>A signed name the resolver answers with AD (<c>delivery.dnssec_probe_signed</c>).</summary>
    public static string ProbeSigned => Zone;

    /// <summary>A bogus name the resolver answers with SERVFAIL (<c>delivery.dnssec_probe_broken</c>).</summary>
    public static string ProbeBroken => FailedZone;

    /// <summary>
    /// Signs and serves <paramref name="records"/> (zone-file lines with absolute owner names; those
    /// under <see cref="InsecureZone"/> go to the unsigned child, the rest to <see cref="Zone"/>),
    /// breaking the signatures <paramref name="breakSignature"/> picks in <see cref="Zone"/> (owner
    /// with its trailing dot, type). <paramref name="resolverAlsoOn"/>: see
    /// <see cref="UnboundServer.StartValidatingAsync"/>.
    /// </summary>
    public static async Task<DnssecWorld> StartAsync(IEnumerable<string> records, Func<string, string, bool>? breakSignature = null, string? resolverAlsoOn = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "postern-e2e-dnssec-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        NsdServer? authority = null;
        try
        {
            var all = records.ToList();
            var insecureSuffix = "." + InsecureZone + ".";
            var insecure = await SignedZone.CreateAsync(directory, InsecureZone, Zone,
                all.Where(r => Owner(r).EndsWith(insecureSuffix, StringComparison.Ordinal) || Owner(r) == InsecureZone + "."), sign: false);
            var failed = await SignedZone.CreateAsync(directory, FailedZone, Zone,
                [$"{FailedZone}. A 127.0.0.9", $"mx.{FailedZone}. A 127.0.0.9"], breakSignature: (_, _) => true);
            List<string> parentRecords =
            [
                $"ns.{Zone}. A 127.0.0.1",
                $"{FailedZone}. NS ns.{Zone}.",
                failed.DsRecord!,
                $"{InsecureZone}. NS ns.{Zone}.",
                .. all.Where(r => !(Owner(r).EndsWith(insecureSuffix, StringComparison.Ordinal) || Owner(r) == InsecureZone + ".")),
            ];
            var parent = await SignedZone.CreateAsync(directory, Zone, Zone, parentRecords, breakSignature: breakSignature);
            authority = await NsdServer.StartAsync(directory, [parent, failed, insecure]);
            var resolver = await UnboundServer.StartValidatingAsync(parent.TrustAnchorFile!, Zone, authority.StubAddress, resolverAlsoOn);
            return new DnssecWorld(directory, authority, resolver);
        }
        catch
        {
            if (authority is not null)
            {
                await authority.DisposeAsync();
            }
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    private static string Owner(string record) => record.Split([' ', '\t'], 2)[0];

    public async ValueTask DisposeAsync()
    {
        await Resolver.DisposeAsync();
        await Authority.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
