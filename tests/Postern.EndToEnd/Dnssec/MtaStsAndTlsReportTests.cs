using System.IO.Compression;
using System.Net;
using System.Text.Json;
using MimeKit;

namespace Postern.EndToEnd.Dnssec;

/// <summary>
/// MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) in the real binary: policies fetched over HTTPS from
/// a loopback server (<c>mta_sts.connect_to</c>, its certificate from the test CA in
/// <c>delivery.https_ca_file</c>) for domains in the unsigned zone, where DANE cannot apply; an
/// <c>enforce</c> policy whose MX list lacks the MX defers with the reason in
/// <c>postern queue show</c>, one that lists it delivers over verified TLS; and the TLS report of
/// a DANE domain with <c>_smtp._tls</c> arrives by mail and by HTTPS POST and parses.
/// </summary>
public sealed class MtaStsAndTlsReportTests(MtaStsAndTlsReportTests.Peers peers) : IClassFixture<MtaStsAndTlsReportTests.Peers>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static readonly string[] ResultTypes =
    [
        "starttls-not-supported", "certificate-host-mismatch", "certificate-expired", "certificate-not-trusted",
        "validation-failure", "tlsa-invalid", "dnssec-invalid", "dane-required", "sts-policy-fetch-error",
        "sts-policy-invalid", "sts-webpki-invalid",
    ];

    /// <summary>One world for the class: zones, nsd, unbound, the HTTPS server, the receiving Postern and the sender.</summary>
    public sealed class Peers : IAsyncLifetime
    {
        public const string OutsidePolicy = "sts.insecure.e2e.test";
        public const string InPolicy = "stsgood.insecure.e2e.test";
        public const string Reported = "rpt.e2e.test";

        public MxCertificates Certificates { get; } = new();

        public HttpsTestServer Https { get; private set; } = null!;

        public DnssecWorld Dns { get; private set; } = null!;

        /// <summary>The receiving Postern: every MX host of this class points at it.</summary>
        public PosternProcess PosternMx { get; private set; } = null!;

        public IPAddress PosternAddress { get; private set; } = null!;

        public PosternProcess Sender { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            PosternAddress = LoopbackPorts.FreeAddresses(1, 25)[0];
            Https = await HttpsTestServer.StartAsync(Certificates, [OutsidePolicy, InPolicy]);
            Https.SetPolicy(OutsidePolicy, "version: STSv1\nmode: enforce\nmx: mx.elsewhere.e2e.test\nmax_age: 86400\n");
            Https.SetPolicy(InPolicy, $"version: STSv1\nmode: enforce\nmx: *.{InPolicy}\nmax_age: 86400\n");
            Certificates.Issue("postern-mx", [$"mx.{OutsidePolicy}", $"mx.{InPolicy}", "mx.rpt.e2e.test", "mx.rptbad.e2e.test"]);
            string[] records =
            [
                $"{OutsidePolicy}. MX 10 mx.{OutsidePolicy}.",
                $"mx.{OutsidePolicy}. A {PosternAddress}",
                $"_mta-sts.{OutsidePolicy}. TXT \"v=STSv1; id=20261207T1\"",
                $"{InPolicy}. MX 10 mx.{InPolicy}.",
                $"mx.{InPolicy}. A {PosternAddress}",
                $"_mta-sts.{InPolicy}. TXT \"v=STSv1; id=20261207T1\"",
                // The reported domain: its preferred MX's TLSA matches nothing (a failed session), the next one's matches.
                $"{Reported}. MX 10 mx.rptbad.e2e.test.",
                $"{Reported}. MX 20 mx.rpt.e2e.test.",
                $"mx.rptbad.e2e.test. A {PosternAddress}",
                $"_25._tcp.mx.rptbad.e2e.test. TLSA {MxCertificates.MismatchingDaneEe()}",
                $"mx.rpt.e2e.test. A {PosternAddress}",
                $"_25._tcp.mx.rpt.e2e.test. TLSA {Certificates.DaneEe("postern-mx")}",
                $"_smtp._tls.{Reported}. TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@reports.e2e.test,{Https.Url("/tlsrpt")}\"",
                "reports.e2e.test. MX 10 mx.rpt.e2e.test.",
            ];
            Dns = await DnssecWorld.StartAsync(records);
            PosternMx = await MxPeers.StartMxAsync(Certificates, "postern-mx", PosternAddress, "mx.rpt.e2e.test",
                [OutsidePolicy, InPolicy, Reported, "reports.e2e.test"], Dns);
            Sender = await MxPeers.StartSenderAsync(Certificates, Dns, Https.Address);
        }

        public async Task DisposeAsync()
        {
            foreach (var postern in new[] { Sender, PosternMx })
            {
                if (postern is not null)
                {
                    await postern.DisposeAsync();
                    Directory.Delete(postern.DataDir, recursive: true);
                }
            }
            if (Dns is not null)
            {
                await Dns.DisposeAsync();
            }
            if (Https is not null)
            {
                await Https.DisposeAsync();
            }
            Certificates.Dispose();
        }
    }

    [Fact]
    public async Task An_enforce_policy_without_the_mx_defers_and_queue_show_says_why()
    {
        var token = "sts-outside-" + Guid.NewGuid().ToString("N");
        const string Recipient = "user@" + Peers.OutsidePolicy;
        await MxPeers.SubmitAsync(peers.Sender, Recipient, token);

        var deferred = await MxPeers.WaitForOutcomeAsync(peers.Sender, Recipient, "Deferred", Wait);
        var queueId = MxPeers.QueueId(deferred);
        var show = "";
        for (var attempt = 0; attempt < 50 && !show.Contains("not in policy", StringComparison.Ordinal); attempt++)
        {
            show = await MxPeers.QueueShowAsync(peers.Sender, queueId);
            await Task.Delay(100);
        }
        Assert.True(show.Contains("MTA-STS", StringComparison.Ordinal) && show.Contains($"mx.{Peers.OutsidePolicy} not in policy", StringComparison.Ordinal),
            show + "\nsender log:\n" + peers.Sender.Log + "\nhttps:\n" + peers.Https.Output);
        Assert.Contains("GET /.well-known/mta-sts.txt", peers.Https.Output, StringComparison.Ordinal);
        var maildir = peers.PosternMx.MaildirNew("user");
        Assert.DoesNotContain(Directory.Exists(maildir) ? Directory.GetFiles(maildir) : [], f => File.ReadAllText(f).Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_enforce_policy_that_lists_the_mx_delivers_over_verified_tls()
    {
        var token = "sts-inside-" + Guid.NewGuid().ToString("N");
        const string Recipient = "user@" + Peers.InPolicy;
        await MxPeers.SubmitAsync(peers.Sender, Recipient, token);

        await MxPeers.WaitForOutcomeAsync(peers.Sender, Recipient, "Sent", Wait);
        await peers.PosternMx.WaitForMailAsync("user", token, Wait);
        var session = await peers.Sender.WaitForLogAsync(l => l.Contains("STARTTLS=client", StringComparison.Ordinal)
            && l.Contains($"relay=mx.{Peers.InPolicy} [{peers.PosternAddress}]", StringComparison.Ordinal), Wait);
        Assert.True(session.Contains("verify=OK", StringComparison.Ordinal) && session.Contains("sts=enforce", StringComparison.Ordinal)
            && session.Contains("dane=no", StringComparison.Ordinal), session);
    }

    [Fact]
    public async Task A_tls_report_arrives_by_mail_and_by_https_post_and_parses()
    {
        var token = "tlsrpt-" + Guid.NewGuid().ToString("N");
        const string Recipient = "user@" + Peers.Reported;
        await MxPeers.SubmitAsync(peers.Sender, Recipient, token);
        await MxPeers.WaitForOutcomeAsync(peers.Sender, Recipient, "Sent", Wait);
        await peers.PosternMx.WaitForMailAsync("user", token, Wait);

        // The report period is 10 s, aligned to UTC: reports leave within a period or two. The failed
        // and the successful session may fall into two periods: wait until the reports cover both.
        var posted = await WaitForReportsAsync("POST", () => [.. peers.Https.Received().Select(post =>
        {
            Assert.StartsWith("POST /tlsrpt\n", post.Headers, StringComparison.Ordinal);
            Assert.Contains("Content-Type: application/tlsrpt+gzip", post.Headers, StringComparison.OrdinalIgnoreCase);
            return Gunzip(post.Body);
        })]);
        Assert.All(posted, AssertReportFields);

        var mailed = await WaitForReportsAsync("mail", MailedReports);
        Assert.All(mailed, AssertReportFields);
    }

    /// <summary>The reports in the tlsrpt mailbox, each checked as RFC 8460 section 5.3 wants the mail.</summary>
    private IReadOnlyList<string> MailedReports()
    {
        var maildir = peers.PosternMx.MaildirNew("tlsrpt");
        var reports = new List<string>();
        foreach (var file in Directory.Exists(maildir) ? Directory.GetFiles(maildir) : [])
        {
            using var message = MimeMessage.Load(file);
            var report = Assert.IsAssignableFrom<Multipart>(message.Body);
            Assert.Equal("multipart/report", report.ContentType.MimeType);
            Assert.Equal("tlsrpt", report.ContentType.Parameters["report-type"]);
            Assert.Equal("tlsrpt-noreply@" + MxPeers.SenderDomain, ((MailboxAddress)message.From.Single()).Address);
            // The submitter is the reporting host's domain name (organization-name is in the JSON).
            Assert.StartsWith($"Report Domain: {Peers.Reported} Submitter: {MxPeers.SenderDomain} Report-ID: <", message.Subject, StringComparison.Ordinal);
            Assert.Equal(Peers.Reported, message.Headers["TLS-Report-Domain"]);
            Assert.Equal(MxPeers.SenderDomain, message.Headers["TLS-Report-Submitter"]);
            var attachment = message.BodyParts.OfType<MimePart>().Single(p => p.ContentType.MimeType == "application/tlsrpt+gzip");
            using var decoded = new MemoryStream();
            Assert.IsAssignableFrom<IMimeContent>(attachment.Content).DecodeTo(decoded);
            reports.Add(Gunzip(decoded.ToArray()));
        }
        return reports;
    }

    private async Task<IReadOnlyList<string>> WaitForReportsAsync(string how, Func<IReadOnlyList<string>> read)
    {
        var deadline = DateTime.UtcNow + Wait;
        var reports = read();
        while (!CoverBothSessions(reports))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no {how} reports of a success and of the failure at mx.rptbad:\n"
                + string.Join('\n', reports) + "\nsender log:\n" + peers.Sender.Log + "\nhttps:\n" + peers.Https.Output);
            await Task.Delay(250);
            reports = read();
        }
        return reports;
    }

    // The reported domain's TLSA policies: the successful session to mx.rpt, the failed one to mx.rptbad.
    private static bool CoverBothSessions(IReadOnlyList<string> reports)
    {
        var policies = reports.SelectMany(json => JsonDocument.Parse(json).RootElement.GetProperty("policies").EnumerateArray())
            .Where(p => p.GetProperty("policy").GetProperty("policy-domain").GetString() == Peers.Reported).ToList();
        var failures = policies.SelectMany(p => p.TryGetProperty("failure-details", out var details) ? details.EnumerateArray() : Enumerable.Empty<JsonElement>());
        return policies.Sum(p => p.GetProperty("summary").GetProperty("total-successful-session-count").GetInt32()) >= 1
            && policies.Sum(p => p.GetProperty("summary").GetProperty("total-failure-session-count").GetInt32()) >= 1
            && failures.Any(f => ResultTypes.Contains(f.GetProperty("result-type").GetString())
                && f.TryGetProperty("receiving-mx-hostname", out var mx) && mx.GetString()!.TrimEnd('.') == "mx.rptbad.e2e.test");
    }

    // RFC 8460 section 4: the fields, named exactly so; the reported domain's policies are TLSA ones.
    private static void AssertReportFields(string json)
    {
        using var document = JsonDocument.Parse(json);
        var report = document.RootElement;
        Assert.Equal("Postern E2E", report.GetProperty("organization-name").GetString());
        Assert.False(string.IsNullOrEmpty(report.GetProperty("report-id").GetString()), json);
        Assert.False(string.IsNullOrEmpty(report.GetProperty("contact-info").GetString()), json);
        var range = report.GetProperty("date-range");
        Assert.True(DateTimeOffset.Parse(range.GetProperty("start-datetime").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            < DateTimeOffset.Parse(range.GetProperty("end-datetime").GetString()!, System.Globalization.CultureInfo.InvariantCulture), json);
        var policies = report.GetProperty("policies").EnumerateArray()
            .Where(p => p.GetProperty("policy").GetProperty("policy-domain").GetString() == Peers.Reported).ToList();
        Assert.True(policies.Count > 0, json);
        Assert.All(policies, p => Assert.Equal("tlsa", p.GetProperty("policy").GetProperty("policy-type").GetString()));
    }

    private static string Gunzip(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var reader = new StreamReader(input);
        return reader.ReadToEnd();
    }
}
