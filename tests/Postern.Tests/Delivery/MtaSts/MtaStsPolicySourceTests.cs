using Microsoft.Extensions.Time.Testing;
using Postern.Core.TlsReporting;
using Postern.Delivery.MtaSts;
using Postern.Tests.Pki.Tls;

namespace Postern.Tests.Delivery.MtaSts;

public sealed class MtaStsPolicySourceTests : IDisposable
{
    private const string TxtName = "_mta-sts.example.org";
    private const string Enforce = "version: STSv1\r\nmode: enforce\r\nmx: *.example.net\r\nmax_age: 86400\r\n";

    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeTxtResolver _dns = new();
    private readonly FakePolicyFetcher _fetcher = new() { Next = MtaStsFetchResult.Success(Enforce) };
    private readonly MtaStsPolicyCache _cache;
    private readonly CollectingLogger _log = new();

    public MtaStsPolicySourceTests()
    {
        _cache = new MtaStsPolicyCache(_temp.Combine("mta-sts"));
        _cache.EnsureDirectory();
    }

    public void Dispose() => _temp.Dispose();

    private MtaStsPolicySource Source(bool store = true) => new(_dns, _fetcher, _cache, _time, _log, store);

    private static Task<MtaStsLookup> Get(MtaStsPolicySource source, string domain = "example.org") =>
        source.GetAsync(domain, CancellationToken.None).AsTask();

    [Fact]
    public async Task Without_a_txt_record_there_is_no_policy_and_no_fetch()
    {
        var lookup = await Get(Source());

        Assert.Equal(MtaStsLookupStatus.NoPolicy, lookup.Status);
        Assert.Equal(0, _fetcher.Fetches);
    }

    [Fact]
    public async Task A_published_policy_is_fetched_cached_on_disk_and_then_served_from_the_cache()
    {
        _dns.Set(TxtName, "v=STSv1; id=one");
        var source = Source();

        var first = await Get(source, "Example.ORG.");
        var second = await Get(source);

        Assert.Equal((MtaStsLookupStatus.Found, false), (first.Status, first.FromCache));
        Assert.Equal(("one", MtaStsMode.Enforce), (first.Policy!.Id, first.Policy.Mode));
        Assert.Equal(_time.GetUtcNow(), first.Policy.FetchedAt);
        Assert.Equal((MtaStsLookupStatus.Found, true, "one"), (second.Status, second.FromCache, second.Policy!.Id));
        Assert.Equal(1, _fetcher.Fetches);
        Assert.Equal("one", _cache.Read("example.org", out _)?.Id);
        Assert.Contains(_log.Messages, m => m.Contains("domain=example.org, policy id=one, mode=enforce, max_age=86400, fetched", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_id_in_the_txt_record_fetches_again()
    {
        _dns.Set(TxtName, "v=STSv1; id=one");
        await Get(Source());
        _dns.Set(TxtName, "v=STSv1; id=two");
        _fetcher.Next = MtaStsFetchResult.Success(Enforce.Replace("enforce", "testing", StringComparison.Ordinal));

        var lookup = await Get(Source());

        Assert.Equal((false, "two", MtaStsMode.Testing), (lookup.FromCache, lookup.Policy!.Id, lookup.Policy.Mode));
        Assert.Equal(2, _fetcher.Fetches);
        Assert.Equal("two", _cache.Read("example.org", out _)?.Id);
    }

    [Fact]
    public async Task A_policy_near_expiry_is_fetched_again_with_the_same_id()
    {
        _dns.Set(TxtName, "v=STSv1; id=one");
        var source = Source();
        await Get(source);

        _time.Advance(TimeSpan.FromHours(17)); // 7 hours left: more than a quarter of a day
        Assert.True((await Get(source)).FromCache);
        _time.Advance(TimeSpan.FromHours(2)); // 5 hours left: less than a quarter
        var refreshed = await Get(source);

        Assert.False(refreshed.FromCache);
        Assert.Equal(_time.GetUtcNow(), refreshed.Policy!.FetchedAt);
        Assert.Equal(2, _fetcher.Fetches);
    }

    [Fact]
    public async Task A_failed_fetch_keeps_a_still_valid_cached_policy()
    {
        _dns.Set(TxtName, "v=STSv1; id=one");
        await Get(Source());
        _dns.Set(TxtName, "v=STSv1; id=two");
        _fetcher.Next = MtaStsFetchResult.Failure(TlsReportResultType.StsPolicyFetchError, "mta-sts.example.org answered HTTP 500");

        var lookup = await Get(Source());

        Assert.Equal((MtaStsLookupStatus.Found, true, "one"), (lookup.Status, lookup.FromCache, lookup.Policy!.Id));
        Assert.Contains("HTTP 500", lookup.Problem, StringComparison.Ordinal);
        Assert.Contains("cached policy stays in force", lookup.Problem, StringComparison.Ordinal);
        Assert.Equal("one", _cache.Read("example.org", out _)?.Id);
    }

    [Fact]
    public async Task A_failed_fetch_without_a_cached_policy_is_unavailable_with_its_report_type_and_is_not_retried_at_once()
    {
        _dns.Set(TxtName, "v=STSv1; id=one");
        _fetcher.Next = MtaStsFetchResult.Failure(TlsReportResultType.StsWebpkiInvalid, "the certificate of mta-sts.example.org did not verify");
        var source = Source();

        var first = await Get(source);
        var second = await Get(source);
        _time.Advance(TimeSpan.FromMinutes(5));
        await Get(source);

        Assert.Equal((MtaStsLookupStatus.Unavailable, TlsReportResultType.StsWebpkiInvalid), (first.Status, first.ProblemType));
        Assert.Null(first.Policy);
        Assert.Equal(first, second);
        Assert.Equal(2, _fetcher.Fetches);
        Assert.Contains(_log.Messages, m => m.Contains("did not verify", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invalid_policy_is_unavailable_as_sts_policy_invalid()
    {
        _dns.Set(TxtName, "v=STSv1; id=one");
        _fetcher.Next = MtaStsFetchResult.Success("version: STSv1\nmode: enforce\nmax_age: 86400\n");

        var lookup = await Get(Source());

        Assert.Equal((MtaStsLookupStatus.Unavailable, TlsReportResultType.StsPolicyInvalid), (lookup.Status, lookup.ProblemType));
        Assert.Contains("the policy from mta-sts.example.org is invalid: no mx field", lookup.Problem, StringComparison.Ordinal);
        Assert.Null(_cache.Read("example.org", out _));
    }

    [Fact]
    public async Task A_removed_txt_record_keeps_the_cached_policy_until_it_expires()
    {
        _dns.Set(TxtName, "v=STSv1; id=one");
        await Get(Source());
        _dns.Remove(TxtName);

        var kept = await Get(Source());
        _time.Advance(TimeSpan.FromDays(1));
        var expired = await Get(Source());

        Assert.Equal((MtaStsLookupStatus.Found, true), (kept.Status, kept.FromCache));
        Assert.Equal(MtaStsLookupStatus.NoPolicy, expired.Status);
        Assert.Equal(1, _fetcher.Fetches);
    }

    [Fact]
    public async Task A_failed_txt_lookup_uses_the_cache_or_else_says_so()
    {
        _dns.Fail(TxtName);
        var none = await Get(Source());
        _dns.Set(TxtName, "v=STSv1; id=one");
        await Get(Source());
        _dns.Fail(TxtName);
        var cached = await Get(Source());

        Assert.Equal(MtaStsLookupStatus.NoPolicy, none.Status);
        Assert.Equal("the TXT lookup for _mta-sts.example.org failed", none.Problem);
        Assert.Equal((MtaStsLookupStatus.Found, true), (cached.Status, cached.FromCache));
    }

    [Fact]
    public async Task Two_sts_records_are_no_policy()
    {
        _dns.Set(TxtName, "v=STSv1; id=one", "v=STSv1; id=two");

        Assert.Equal(MtaStsLookupStatus.NoPolicy, (await Get(Source())).Status);
        Assert.Equal(0, _fetcher.Fetches);
    }

    [Fact]
    public async Task Mode_none_is_a_found_policy()
    {
        _dns.Set(TxtName, "v=STSv1; id=gone");
        _fetcher.Next = MtaStsFetchResult.Success("version: STSv1\nmode: none\nmax_age: 600\n");

        var lookup = await Get(Source());

        Assert.Equal((MtaStsLookupStatus.Found, MtaStsMode.None), (lookup.Status, lookup.Policy!.Mode));
    }

    [Fact]
    public async Task A_read_only_source_never_writes_the_cache()
    {
        _dns.Set(TxtName, "v=STSv1; id=one");

        var lookup = await Get(Source(store: false));

        Assert.Equal(MtaStsLookupStatus.Found, lookup.Status);
        Assert.Empty(Directory.GetFiles(_cache.Directory));
    }

    [Theory]
    [InlineData("[192.0.2.1]")]
    [InlineData("bücher.example")]
    [InlineData("../etc")]
    [InlineData("")]
    public async Task Names_that_cannot_have_a_policy_are_not_looked_up(string domain)
    {
        Assert.Equal(MtaStsLookupStatus.NoPolicy, (await Get(Source(), domain)).Status);
        Assert.Equal(0, _dns.Lookups);
    }

    [Fact]
    public async Task Lookups_at_the_same_time_share_one_fetch()
    {
        _dns.Set(TxtName, "v=STSv1; id=one");
        _fetcher.Hold();
        var source = Source();

        var lookups = Enumerable.Range(0, 5).Select(_ => Get(source)).ToList();
        _fetcher.Release();
        var results = await Task.WhenAll(lookups);

        Assert.All(results, r => Assert.Equal("one", r.Policy?.Id));
        Assert.Equal(1, _fetcher.Fetches);
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_shared_discovery()
    {
        _dns.Set(TxtName, "v=STSv1; id=one");
        _fetcher.Hold();
        var source = Source();
        using var cancel = new CancellationTokenSource();

        var abandoned = source.GetAsync("example.org", cancel.Token).AsTask();
        var patient = Get(source);
        await cancel.CancelAsync();
        _fetcher.Release();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal(MtaStsLookupStatus.Found, (await patient).Status);
    }
}
