using Postern.Delivery.Routing;

namespace Postern.Tests.Delivery.Routing;

public sealed class DnsTxtResolverTests : IDisposable
{
    private readonly FakeDnsServer _dns = new();

    public void Dispose() => _dns.Dispose();

    private DnsTxtResolver Resolver(int timeoutMilliseconds = 10_000) => new(new DnsResolverOptions
    {
        Servers = [_dns.EndPoint],
        QueryTimeout = TimeSpan.FromMilliseconds(timeoutMilliseconds),
        Retries = 0,
        UseCache = false,
    });

    [Fact]
    public async Task Each_record_is_one_text_with_its_strings_joined()
    {
        _dns.Txt("_mta-sts.example.org", "v=STSv1; ", "id=20160831085700Z;").Txt("_mta-sts.example.org", "other");

        var answer = await Resolver().LookupTxtAsync("_mta-sts.example.org", CancellationToken.None);

        Assert.Equal(TxtAnswerStatus.Found, answer.Status);
        Assert.Equal(["other", "v=STSv1; id=20160831085700Z;"], answer.Records.Order(StringComparer.Ordinal));
        Assert.Contains(("_mta-sts.example.org", FakeDnsServer.TypeTxt), _dns.Queries);
    }

    [Fact]
    public async Task No_such_name_and_no_txt_data_are_not_found()
    {
        _dns.Exists("_smtp._tls.example.org");

        Assert.Equal(TxtAnswerStatus.NotFound, (await Resolver().LookupTxtAsync("_mta-sts.example.org", CancellationToken.None)).Status);
        Assert.Equal(TxtAnswerStatus.NotFound, (await Resolver().LookupTxtAsync("_smtp._tls.example.org", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Servfail_and_silence_are_failures()
    {
        _dns.ServerFailure("_mta-sts.broken.example").Silent("_mta-sts.silent.example");

        Assert.Equal(TxtAnswerStatus.Failed, (await Resolver().LookupTxtAsync("_mta-sts.broken.example", CancellationToken.None)).Status);
        Assert.Equal(TxtAnswerStatus.Failed, (await Resolver(200).LookupTxtAsync("_mta-sts.silent.example", CancellationToken.None)).Status);
    }
}
