using Postern.Core.TlsReporting;
using Postern.Delivery.Routing;
using Postern.Delivery.TlsReporting;

namespace Postern.Tests.Delivery.TlsReporting;

public sealed class DnsTlsRptRecordResolverTests
{
    [Theory]
    [InlineData(TxtAnswerStatus.Found, TlsRptTxtStatus.Found)]
    [InlineData(TxtAnswerStatus.NotFound, TlsRptTxtStatus.NotFound)]
    [InlineData(TxtAnswerStatus.Failed, TlsRptTxtStatus.Failed)]
    public async Task The_smtp_tls_name_of_the_domain_is_asked_and_its_answer_passed_on(TxtAnswerStatus status, TlsRptTxtStatus expected)
    {
        var txt = new OneAnswer(new TxtAnswer(status, status == TxtAnswerStatus.Found ? ["v=TLSRPTv1; rua=mailto:r@example.net"] : []));

        var lookup = await new DnsTlsRptRecordResolver(txt).LookupAsync("Example.NET.", CancellationToken.None);

        Assert.Equal("_smtp._tls.example.net", txt.Asked);
        Assert.Equal(expected, lookup.Status);
        Assert.Equal(status == TxtAnswerStatus.Found ? ["v=TLSRPTv1; rua=mailto:r@example.net"] : [], lookup.Records);
    }

    private sealed class OneAnswer(TxtAnswer answer) : ITxtResolver
    {
        public string? Asked { get; private set; }

        public ValueTask<TxtAnswer> LookupTxtAsync(string name, CancellationToken cancellationToken)
        {
            Asked = name;
            return ValueTask.FromResult(answer);
        }
    }
}
