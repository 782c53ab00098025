using Postern.Queue.TlsReports;

namespace Postern.Tests.Queue.TlsReports;

/// <summary>The _smtp._tls record of RFC 8460 section 3.</summary>
public sealed class TlsRptRecordTests
{
    [Theory]
    // Section 3.1's examples.
    [InlineData("v=TLSRPTv1;rua=mailto:reports@example.com", "mailto:reports@example.com")]
    [InlineData("v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt", "https://reporting.example.com/v1/tlsrpt")]
    [InlineData("v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://r.example.com/x ;", "mailto:tlsrpt@example.com https://r.example.com/x")]
    [InlineData("v=TLSRPTv1 ; rua=mailto:tls%2Breports@example.com ; ext=1", "mailto:tls+reports@example.com")]
    [InlineData("v=TLSRPTv1;rua=mailto:r@example.com?subject=x, ftp://x.example/ , http://plain.example/", "mailto:r@example.com")]
    public void The_usable_addresses_are_read(string txt, string expected)
    {
        Assert.True(TlsRptRecord.TryParse([txt], out var record, out var problem), problem);
        Assert.Equal(expected, string.Join(' ', record.Destinations));
    }

    [Theory]
    [InlineData(new[] { "v=spf1 -all" }, "no v=TLSRPTv1 record")]
    [InlineData(new[] { "v=TLSRPTv1;rua=mailto:a@example.com", "v=TLSRPTv1;rua=mailto:b@example.com" }, "2 v=TLSRPTv1 records (exactly one is allowed)")]
    [InlineData(new[] { "v=TLSRPTv1" }, "the record has no rua= field")]
    [InlineData(new[] { "v=TLSRPTv1x;rua=mailto:a@example.com" }, "no v=TLSRPTv1 record")]
    [InlineData(new[] { "V=tlsrptv1;rua=mailto:a@example.com" }, "no v=TLSRPTv1 record")]
    [InlineData(new[] { "v=TLSRPTv1;rua=http://example.com/,mailto:bad" }, "the record's rua= names no mailto: or https: address")]
    public void Records_that_give_no_address_mean_no_reports(string[] txts, string reason)
    {
        Assert.False(TlsRptRecord.TryParse(txts, out _, out var problem));
        Assert.Equal(reason, problem);
    }

    [Fact]
    public void Other_txt_records_beside_the_one_are_ignored()
    {
        Assert.True(TlsRptRecord.TryParse(["v=spf1 -all", "v=TLSRPTv1; rua=mailto:r@example.com"], out var record, out _));
        Assert.Equal("r@example.com", Assert.Single(record.Mailboxes).ToString());
    }
}
