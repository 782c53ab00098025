using System.Net;
using Postern.Pki.Acme.Protocol;

namespace Postern.Tests.Pki.Acme;

public sealed class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("120", 120)]
    [InlineData("0", 0)]
    [InlineData("Mon, 07 Dec 2026 12:05:00 GMT", 300)]
    [InlineData("Mon, 07 Dec 2026 11:00:00 GMT", 0)]
    [InlineData("99999999", 7 * 24 * 3600)]
    public void Seconds_and_http_dates_are_a_wait_from_now(string header, int seconds)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", header);

        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfterHeader.Read(response, Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("soon")]
    public void No_usable_header_is_no_wait(string? header)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        if (header is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", header);
        }

        Assert.Null(RetryAfterHeader.Read(response, Now));
    }
}
