using System.IO.Compression;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Postern.Core.TlsReporting;
using Postern.Queue.TlsReports;

namespace Postern.Tests.Queue.TlsReports;

/// <summary>The report against RFC 8460 section 4: its example, its field names and its types.</summary>
public sealed class TlsReportJsonTests
{
    // RFC 8460 section 4.9's example, less its report-id (ours is the period, domain and submitter)
    // and its third failure row (failure-reason-code: a field Postern has no value for), so 300
    // failures instead of 303; IPv6 addresses in RFC 5952 form, the URL without the line break.
    private const string RfcExample = """
        {
          "organization-name": "Company-X",
          "date-range": {
            "start-datetime": "2016-04-01T00:00:00Z",
            "end-datetime": "2016-04-01T23:59:59Z"
          },
          "contact-info": "sts-reporting@company-x.example",
          "policies": [{
            "policy": {
              "policy-type": "sts",
              "policy-string": ["version: STSv1","mode: testing",
                    "mx: *.mail.company-y.example","max_age: 86400"],
              "policy-domain": "company-y.example",
              "mx-host": ["*.mail.company-y.example"]
            },
            "summary": {
              "total-successful-session-count": 5326,
              "total-failure-session-count": 300
            },
            "failure-details": [{
              "result-type": "certificate-expired",
              "sending-mta-ip": "2001:db8:abcd:12::1",
              "receiving-mx-hostname": "mx1.mail.company-y.example",
              "failed-session-count": 100
            }, {
              "result-type": "starttls-not-supported",
              "sending-mta-ip": "2001:db8:abcd:13::1",
              "receiving-mx-hostname": "mx2.mail.company-y.example",
              "receiving-ip": "203.0.113.56",
              "failed-session-count": 200,
              "additional-information": "https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported"
            }]
          }]
        }
        """;

    private static readonly DateTimeOffset April1 = new(2016, 4, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_report_of_the_RFC_examples_sessions_is_the_RFC_example()
    {
        var book = new TlsReportBook(TimeSpan.FromDays(1), TlsReportLimits.Default);
        var at = April1.AddHours(10);
        for (var i = 0; i < 5326; i++)
        {
            book.Add(TlsReportTesting.Success("company-y.example", at), at);
        }
        for (var i = 0; i < 100; i++)
        {
            book.Add(Failure(TlsReportResultType.CertificateExpired, "2001:db8:abcd:12::1", "mx1.mail.company-y.example", null, null, at), at);
        }
        for (var i = 0; i < 200; i++)
        {
            book.Add(Failure(
                TlsReportResultType.StartTlsNotSupported, "2001:db8:abcd:13::1", "mx2.mail.company-y.example", IPAddress.Parse("203.0.113.56"),
                "https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported", at), at);
        }

        var period = Assert.Single(book.Periods);
        var report = TlsReportBuilder.Build(period, Assert.Single(period.Domains), TlsReportTesting.Options());
        var ours = JsonNode.Parse(TlsReportBuilder.ToJson(report))!.AsObject();

        Assert.Equal("20160401T000000Z.company-y.example@company-x.example", (string)ours["report-id"]!);
        ours.Remove("report-id");
        var expected = JsonNode.Parse(RfcExample);
        Assert.True(JsonNode.DeepEquals(expected, ours), ours.ToJsonString());
    }

    [Fact]
    public void Every_field_has_the_RFC_name_and_type_and_absent_values_are_left_out()
    {
        var book = new TlsReportBook(TimeSpan.FromDays(1), TlsReportLimits.Default);
        var at = April1.AddHours(1);
        book.Add(new TlsSessionOutcome("example.net", TlsReportPolicyType.NoPolicyFound, [], null, "mx.example.net", null, null, null, null, at), at);
        book.Add(new TlsSessionOutcome(
            "example.net", TlsReportPolicyType.Tlsa, ["3 1 1 0123abcd"], "mx.example.net", "mx.example.net",
            IPAddress.Parse("192.0.2.1"), null, TlsReportResultType.TlsaInvalid, null, at), at);
        var period = Assert.Single(book.Periods);

        using var json = JsonDocument.Parse(TlsReportBuilder.ToJson(TlsReportBuilder.Build(period, period.Domains[0], TlsReportTesting.Options())));
        var root = json.RootElement;
        Assert.Equal(["organization-name", "date-range", "contact-info", "report-id", "policies"], Names(root));
        Assert.Equal(["start-datetime", "end-datetime"], Names(root.GetProperty("date-range")));
        var policies = root.GetProperty("policies").EnumerateArray().ToList();
        Assert.Equal(2, policies.Count);

        // no-policy-found: neither policy-string nor mx-host, and no failure-details without failures.
        Assert.Equal(["policy", "summary"], Names(policies[0]));
        Assert.Equal(["policy-type", "policy-domain"], Names(policies[0].GetProperty("policy")));
        Assert.Equal("no-policy-found", policies[0].GetProperty("policy").GetProperty("policy-type").GetString());
        Assert.Equal(["total-successful-session-count", "total-failure-session-count"], Names(policies[0].GetProperty("summary")));
        Assert.Equal(JsonValueKind.Number, policies[0].GetProperty("summary").GetProperty("total-successful-session-count").ValueKind);

        var tlsa = policies[1];
        Assert.Equal("tlsa", tlsa.GetProperty("policy").GetProperty("policy-type").GetString());
        Assert.Equal(JsonValueKind.Array, tlsa.GetProperty("policy").GetProperty("policy-string").ValueKind);
        Assert.Equal(JsonValueKind.Array, tlsa.GetProperty("policy").GetProperty("mx-host").ValueKind);
        var row = Assert.Single(tlsa.GetProperty("failure-details").EnumerateArray().ToList());
        // No sending address known: sending-mta-ip is left out rather than written as null.
        Assert.Equal(["result-type", "receiving-mx-hostname", "receiving-ip", "failed-session-count"], Names(row));
        Assert.Equal("tlsa-invalid", row.GetProperty("result-type").GetString());
    }

    [Theory]
    [InlineData(TlsReportResultType.StartTlsNotSupported, "starttls-not-supported")]
    [InlineData(TlsReportResultType.CertificateHostMismatch, "certificate-host-mismatch")]
    [InlineData(TlsReportResultType.CertificateExpired, "certificate-expired")]
    [InlineData(TlsReportResultType.CertificateNotTrusted, "certificate-not-trusted")]
    [InlineData(TlsReportResultType.ValidationFailure, "validation-failure")]
    [InlineData(TlsReportResultType.TlsaInvalid, "tlsa-invalid")]
    [InlineData(TlsReportResultType.DnssecInvalid, "dnssec-invalid")]
    [InlineData(TlsReportResultType.DaneRequired, "dane-required")]
    [InlineData(TlsReportResultType.StsPolicyFetchError, "sts-policy-fetch-error")]
    [InlineData(TlsReportResultType.StsPolicyInvalid, "sts-policy-invalid")]
    [InlineData(TlsReportResultType.StsWebpkiInvalid, "sts-webpki-invalid")]
    public void Result_types_are_the_RFCs_words(TlsReportResultType type, string word) =>
        Assert.Equal(word, TlsReportNames.ResultType(type));

    [Fact]
    public void The_file_name_follows_section_5_1_and_the_gzip_holds_the_json()
    {
        var period = new PeriodCounts { Start = April1, End = April1.AddDays(1) };
        Assert.Equal("company-x.example!company-y.example!1459468800!1459555199.json.gz", TlsReportBuilder.FileName(period, "company-y.example", "company-x.example"));

        var json = "{\"a\":1}"u8.ToArray();
        using var gzip = new GZipStream(new MemoryStream(TlsReportBuilder.Gzip(json)), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        Assert.Equal(json, plain.ToArray());
    }

    private static TlsSessionOutcome Failure(TlsReportResultType result, string sending, string mx, IPAddress? receiving, string? detail, DateTimeOffset at) =>
        new("company-y.example", TlsReportPolicyType.Sts, TlsReportTesting.StsPolicy, "*.mail.company-y.example", mx, receiving, IPAddress.Parse(sending), result, detail, at);

    private static List<string> Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}
