using System.Net;
using Postern.Core.TlsReporting;
using Postern.Queue.TlsReports;

namespace Postern.Tests.Queue.TlsReports;

/// <summary>Outcomes and options the TLS-RPT tests share.</summary>
internal static class TlsReportTesting
{
    public static readonly DateTimeOffset Day = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    public static readonly string[] StsPolicy = ["version: STSv1", "mode: testing", "mx: *.mail.company-y.example", "max_age: 86400"];

    public static TlsReportingOptions Options(string directory = "", TimeSpan? interval = null, string? caFile = null) => new()
    {
        Organization = "Company-X",
        Contact = "sts-reporting@company-x.example",
        From = "tlsrpt@company-x.example",
        Interval = interval ?? TimeSpan.FromDays(1),
        Directory = directory,
        HttpsCaFile = caFile,
    };

    public static TlsSessionOutcome Success(string domain, DateTimeOffset at, string mx = "mx1.mail.company-y.example") =>
        new(domain, TlsReportPolicyType.Sts, StsPolicy, "*.mail.company-y.example", mx, IPAddress.Parse("203.0.113.55"), IPAddress.Parse("198.51.100.62"), null, null, at);

    public static TlsSessionOutcome Failure(
        string domain, DateTimeOffset at, TlsReportResultType result, string mx = "mx2.mail.company-y.example", string? detail = null, string sending = "2001:db8:abcd:13::1") =>
        new(domain, TlsReportPolicyType.Sts, StsPolicy, "*.mail.company-y.example", mx, IPAddress.Parse("203.0.113.56"), IPAddress.Parse(sending), result, detail, at);
}
